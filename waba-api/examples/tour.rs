//! A walk through waba-api: client WABAs, a WABA, its users, writes (users, a phone number and its
//! registration, a message template, a webhook subscription), errors, retries and a fleet.
//!
//! `cargo run -p waba-api --example tour` starts an embedded waba-mock (a fake Graph API driven by
//! the same spec) and runs against it. With `WABA_BASE_URL`, `WABA_ACCESS_TOKEN`,
//! `WABA_BUSINESS_ID`, `WABA_ID` and `WABA_USER_ID` set (optional `WABA_APP_SECRET`,
//! `WABA_API_VERSION`) it runs against that server instead — Meta's Graph API included; writes then
//! run only with `WABA_TOUR_WRITES=1`.

use std::error::Error as StdError;

use futures::{StreamExt, TryStreamExt};
use waba_api::batch::Batching;
use waba_api::fleet::Fleet;
use waba_api::ids::{BusinessId, UserId, WabaId};
use waba_api::models::{
    AssignedUserField, Category, CodeMethod, Filter, FilterOperator, MessagingProduct,
    OwnershipType, Task, WhatsAppBusinessAccountField as F,
    WhatsAppBusinessAccountMessageTemplatesCreateComponent as TemplateComponent,
};
use waba_api::{Client, Error, Paginated};
use waba_mock::{FaultKind, FaultRule, MockConfig, MockServer};

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// Where the tour runs and on which objects.
struct Target {
    client: Client,
    business: BusinessId,
    /// The WABA read and listed.
    waba: WabaId,
    /// The WABA a user is added to and removed from.
    write_waba: WabaId,
    /// The user added and removed.
    user: UserId,
    writes: bool,
    mock: Option<MockServer>,
}

#[tokio::main]
async fn main() -> Result<()> {
    let target = target().await?;
    let c = &target.client;
    // Handles: no request until a builder's `send`.
    let waba_handle = c.waba(&target.waba);
    let write_users = c.waba(&target.write_waba).assigned_users();
    match &target.mock {
        Some(m) => println!(
            "waba-api tour against the embedded mock at {} (Graph API {})",
            m.base_url(),
            c.api_version()
        ),
        None => println!(
            "waba-api tour against {} (Graph API {})",
            c.base_url(),
            c.api_version()
        ),
    }

    step("1. Client WhatsApp Business Accounts of the business, filtered by ownership type");
    let filter = Filter::on(
        F::OwnershipType,
        FilterOperator::In,
        [OwnershipType::SelfOwned, OwnershipType::ClientOwned],
    );
    let wabas = c
        .business(&target.business)
        .client_wabas()
        .list()
        .fields([F::Id, F::Name, F::OwnershipType, F::PermittedTasks])
        .filtering([filter])
        .send()
        .await?;
    for w in &wabas.data {
        println!(
            "   {}  {:<32} ownership {}  permitted tasks {:?}",
            w.id,
            w.name.as_deref().unwrap_or("-"),
            w.ownership_type.as_ref().map_or("-", |o| o.as_str()),
            w.permitted_tasks.as_deref().unwrap_or_default()
        );
    }

    step("2. One WABA with typed fields");
    let waba = waba_handle.get().fields(F::ALL).send().await?;
    println!("   id                   {}", waba.id);
    println!(
        "   name                 {}",
        waba.name.as_deref().unwrap_or("-")
    );
    println!(
        "   verification status  {}",
        waba.business_verification_status
            .as_ref()
            .map_or("-".into(), |s| s.to_string())
    );
    println!(
        "   ownership type       {}",
        waba.ownership_type
            .as_ref()
            .map_or("-".into(), |s| s.to_string())
    );
    println!(
        "   currency / timezone  {} / {}",
        waba.currency.as_deref().unwrap_or("-"),
        waba.timezone_id.as_deref().unwrap_or("-")
    );
    println!(
        "   insights enabled     {}",
        waba.is_enabled_for_insights
            .map_or("-".into(), |b| b.to_string())
    );
    println!(
        "   template namespace   {}",
        waba.message_template_namespace.as_deref().unwrap_or("-")
    );
    let usage = waba.usage();
    if let Some(b) = usage.business_use_case.first() {
        println!(
            "   usage                {}% of the {} allowance of {}",
            b.call_count, b.kind, b.object_id
        );
    }

    step("3. Every assigned user of the WABA, page by page, with the edge's total count");
    let (summary, users) = waba_handle
        .assigned_users()
        .list(&target.business)
        .fields([
            AssignedUserField::Id,
            AssignedUserField::Name,
            AssignedUserField::Tasks,
        ])
        .limit(25)
        .stream_with_summary()
        .await?;
    let total = summary.and_then(|s| s.total_count);
    let users: Vec<_> = users.try_collect().await?;
    for u in users.iter().take(3) {
        println!(
            "   {}  {:<20} {:?}",
            u.id,
            u.name.as_deref().unwrap_or("-"),
            u.tasks.as_deref().unwrap_or_default()
        );
    }
    if users.len() > 3 {
        println!("   … {} more", users.len() - 3);
    }
    println!(
        "   streamed {} users; summary.total_count = {}",
        users.len(),
        total.map_or("-".into(), |t| t.to_string())
    );

    if target.writes {
        step("4. Add a user with tasks");
        let added = write_users
            .add(&target.user, [Task::Manage, Task::Develop])
            .send()
            .await?;
        println!(
            "   POST assigned_users user={} tasks=[MANAGE, DEVELOP] → success: {}",
            target.user, added.success
        );

        step("5. List the WABA's users again");
        let users: Vec<_> = write_users
            .list(&target.business)
            .stream()
            .try_collect()
            .await?;
        let found = users.iter().find(|u| u.id == target.user);
        println!(
            "   {} users; {} has tasks {:?}",
            users.len(),
            target.user,
            found.and_then(|u| u.tasks.clone()).unwrap_or_default()
        );

        step("6. Remove the user");
        let removed = write_users.remove(&target.user).send().await?;
        let users: Vec<_> = write_users
            .list(&target.business)
            .stream()
            .try_collect()
            .await?;
        println!(
            "   DELETE assigned_users → success: {}; {} users left",
            removed.success,
            users.len()
        );

        step("7. Create a phone number (never retried once it may have reached the server)");
        let created = c
            .waba(&target.write_waba)
            .phone_numbers()
            .create("1", "5550100", "Tour Coffee")
            .send()
            .await?;
        println!(
            "   POST phone_numbers cc=1 phone_number=5550100 verified_name=\"Tour Coffee\" → id {}",
            created.id
        );

        step("7b. Verify and register the new number: request a code, send it back, register");
        let number = c.phone_number(&created.id);
        let asked = number.request_code(CodeMethod::Sms, "en_US").send().await?;
        let verified = number.verify_code("123456").send().await?;
        let registered = number
            .register(MessagingProduct::Whatsapp, "123456")
            .send()
            .await?;
        println!(
            "   request_code SMS → {}; verify_code → {}; register → {}",
            asked.success, verified.success, registered.success
        );

        step("7c. A message template (JSON body with typed components), then the WABA's templates");
        let templates = c.waba(&target.write_waba).message_templates();
        let body = TemplateComponent {
            type_: Some("BODY".into()),
            text: Some("Your order {{1}} has shipped.".into()),
            ..TemplateComponent::new()
        };
        let template = templates
            .create()
            .name("order_shipped")
            .language("en_US")
            .category(Category::Utility)
            .components([body])
            .send()
            .await?;
        let listed: Vec<_> = templates.list().stream().try_collect().await?;
        // The answer's `id` is a typed template ID: it opens the template's own handle.
        let id = template
            .id
            .as_ref()
            .ok_or("Graph answered no template id")?;
        let read = c.message_template(id).get().send().await?;
        println!(
            "   POST message_templates → id {id} (GET it back: {}); {} templates listed",
            read.name.as_deref().unwrap_or("-"),
            listed.len()
        );

        step("7d. Subscribe this app to the WABA's webhooks, then list the subscribed apps");
        let apps = c.waba(&target.write_waba).subscribed_apps();
        let subscribed = apps.subscribe().send().await?;
        let listed: Vec<_> = apps.list().stream().try_collect().await?;
        println!(
            "   POST subscribed_apps → success: {}; {} apps subscribed",
            subscribed.success,
            listed.len()
        );
    } else {
        step(
            "4–7d. Writes skipped (set WABA_TOUR_WRITES=1 to add/remove a user, create and register a phone number, create a template and subscribe the app)",
        );
    }

    step("8. A typed Graph error");
    let missing: WabaId = "999999999999".parse()?;
    match c.waba(&missing).get().send().await {
        Ok(_) => println!("   unexpectedly found WABA 999999999999"),
        Err(Error::Graph(g)) => {
            println!("   code     {} ({:?})", g.code.as_i64(), g.code);
            println!(
                "   subcode  {}",
                g.subcode
                    .map_or("-".into(), |s| format!("{} ({s:?})", s.as_i64()))
            );
            println!("   type     {}", g.kind);
            println!("   message  {}", g.message);
            println!(
                "   HTTP {}, retryable: {}",
                g.meta.status(),
                g.is_retryable()
            );
        }
        Err(e) => return Err(e.into()),
    }

    step("9. A throttled call, retried with backoff");
    match &target.mock {
        Some(mock) => {
            // Two 80008 answers, then success: the client backs off and retries a GET by itself.
            mock.faults().add(
                FaultRule::new(FaultKind::Throttle)
                    .operation("GetWhatsAppBusinessAccount")
                    .times(2)
                    .regain_minutes(0),
            )?;
            let r = waba_handle.get().send().await?;
            println!(
                "   {} after {} attempts (the mock injected {} throttle errors)",
                r.id,
                r.meta().attempts(),
                mock.stats().faults_of(FaultKind::Throttle)
            );
        }
        None => println!("   skipped: the tour injects faults only into its embedded mock"),
    }

    step("10. The WABAs of step 1 at once: the fleet helper, paced, with batch requests");
    // One job per WABA (thousands work the same way): at most 64 at a time, each WABA's calls
    // kept within its rate-limit allowance by the pacer, concurrent calls sharing batch
    // requests; results arrive as each WABA finishes.
    let before = target.mock.as_ref().map(|m| m.stats());
    let fleet = Fleet::new(c).concurrency(64).batching(Batching::default());
    // The IDs are borrowed from step 1's answer: nothing is cloned.
    let ids = wabas.data.iter().map(|w| &w.id);
    let business = &target.business;
    let mut results = fleet.run(ids, |client, waba| async move {
        let waba = client.waba(waba);
        let account = waba.get().fields([F::Name]).send().await?;
        let users = waba
            .assigned_users()
            .list(business)
            .summary(true)
            .limit(1)
            .send()
            .await?;
        Ok::<_, Error>((
            account.into_inner().name,
            users.summary.as_ref().and_then(|s| s.total_count),
        ))
    });
    while let Some((waba, result)) = results.next().await {
        match result {
            Ok((name, users)) => println!(
                "   {waba}  {:<32} {} users",
                name.as_deref().unwrap_or("-"),
                users.map_or("?".into(), |n| n.to_string())
            ),
            Err(e) => println!("   {waba}  failed: {e}"),
        }
    }
    let paced = fleet.stats();
    print!(
        "   {} calls paced over {} WABAs, {} waited",
        paced.calls, paced.objects, paced.waited
    );
    match (&target.mock, before) {
        (Some(mock), Some(before)) => {
            let after = mock.stats();
            println!(
                "; the mock saw {} calls in {} HTTP requests",
                after.total_requests - before.total_requests,
                after.http_requests - before.http_requests
            );
        }
        _ => println!(),
    }

    if let Some(mock) = target.mock {
        let stats = mock.stats();
        println!(
            "\nThe mock served {} requests. Tour complete.",
            stats.total_requests
        );
        mock.shutdown().await;
    } else {
        println!("\nTour complete.");
    }
    Ok(())
}

fn step(title: &str) {
    println!("\n{title}");
}

/// The real server from the environment, or the embedded mock.
async fn target() -> Result<Target> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let remote = [
        "WABA_BASE_URL",
        "WABA_ACCESS_TOKEN",
        "WABA_BUSINESS_ID",
        "WABA_ID",
        "WABA_USER_ID",
    ]
    .map(var);
    if let [
        Some(base_url),
        Some(token),
        Some(business),
        Some(waba),
        Some(user),
    ] = remote
    {
        let mut builder = Client::builder(token).base_url(base_url);
        if let Some(secret) = var("WABA_APP_SECRET") {
            builder = builder.app_secret(secret);
        }
        if let Some(version) = var("WABA_API_VERSION") {
            builder = builder.api_version(version);
        }
        return Ok(Target {
            client: builder.build()?,
            business: business.parse()?,
            write_waba: waba.parse()?,
            waba: waba.parse()?,
            user: user.parse()?,
            writes: var("WABA_TOUR_WRITES").as_deref() == Some("1"),
            mock: None,
        });
    }
    let mock = MockServer::start(MockConfig::default()).await?;
    let seed = mock.seed().clone();
    let client = Client::builder(&seed.access_token)
        .base_url(mock.base_url())
        .app_secret(&seed.app_secret)
        .build()?;
    Ok(Target {
        client,
        business: seed.business_id.parse()?,
        waba: seed.waba_ids[0].parse()?,
        // The second WABA has only a few users; add one it does not have yet.
        write_waba: seed.waba_ids[1].parse()?,
        user: seed.user_ids[10].parse()?,
        writes: true,
        mock: Some(mock),
    })
}
