//! Every operation of the spec (`waba_api::ops::OPERATIONS`) against waba-mock, driven from the
//! spec's data alone (no operation is named here): with its required parameters it succeeds and
//! decodes into its typed return value; without any one of them Graph answers error 100.

use waba_api::{Client, Error, RetryPolicy, ops};
use waba_mock::{MockConfig, MockServer, Seed};

mod support;
use support::example_request;

#[tokio::test]
async fn every_operation_succeeds_typed_and_needs_each_required_parameter() {
    // A node delete removes the object it is called on: it gets objects of its own (one to
    // delete, one for the calls without a required parameter).
    let mock = MockServer::start(MockConfig {
        seed: support::with_write_objects(Seed::default(), 2),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let seed = mock.seed().clone();
    let client = Client::builder(&seed.access_token)
        .app_secret(&seed.app_secret)
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let mut missing_checked = 0;
    for spec in ops::OPERATIONS {
        let typed = ops::send_any(&client, example_request(&mock, spec, None))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        let text = format!("{typed:?}");
        assert!(text.starts_with("Response {"), "{}: {text}", spec.name);
        for p in spec.params.iter().filter(|p| p.required) {
            let e = ops::send_any(&client, example_request(&mock, spec, Some(p.name)))
                .await
                .expect_err(p.name);
            match &e {
                Error::Graph(g) => {
                    assert_eq!(
                        g.code.as_i64(),
                        100,
                        "{} without {}: {e}",
                        spec.name,
                        p.name
                    );
                    assert!(g.message.contains(p.name), "{}: {e}", spec.name);
                }
                other => panic!("{} without {}: {other:?}", spec.name, p.name),
            }
            missing_checked += 1;
        }
    }
    let stats = mock.stats();
    for spec in ops::OPERATIONS {
        let required = spec.params.iter().filter(|p| p.required).count() as u64;
        assert_eq!(stats.requests_of(spec.name), 1 + required, "{}", spec.name);
    }
    assert!(missing_checked > 0, "no operation has a required parameter");
    println!(
        "{} operations succeeded; {missing_checked} missing required parameters answered 100",
        ops::OPERATIONS.len()
    );
}
