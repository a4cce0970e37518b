//! A short example for each operation's builder, built from the spec (the handle path, the
//! required arguments with example values) and compiled as a doctest.

use crate::spec::model::{Operation, Param, Returns, Shape, Spec};
use crate::spec::types::Type;

use super::ids;

/// The `# Example` section of `op`'s builder docs: a `no_run` doctest that reaches the
/// operation through its handles and sends it.
pub(crate) fn section(spec: &Spec, op: &Operation) -> String {
    let node_short = spec.short_name(&op.node);
    let node_var = format!("{node_short}_id");
    let mut lets = vec![let_id(spec, &op.node, &node_var)];
    let mut args = Vec::new();
    for p in super::ops::required_params(op) {
        match &p.id_of {
            Some(node) if ids::ident(spec, node).is_some() => {
                let var = format!("{}_id", spec.short_name(node));
                if !lets.iter().any(|l| l.starts_with(&format!("let {var}:"))) {
                    lets.push(let_id(spec, node, &var));
                }
                args.push(format!("&{var}"));
            }
            _ => args.push(value(spec, p, &p.ty)),
        }
    }
    let mut chain = format!("client\n    .{node_short}(&{node_var})");
    if let Some(e) = &op.call.edge {
        chain.push_str(&format!("\n    .{e}()"));
    }
    chain.push_str(&format!("\n    .{}({})", op.call.method, args.join(", ")));
    let body = if matches!(op.returns, Returns::Page { .. }) {
        format!(
            "use futures::TryStreamExt;\nuse waba_api::Paginated;\n\n{}\nlet mut items = {chain}\n    .stream();\nwhile let Some(item) = items.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}",
            lets.join("\n")
        )
    } else {
        format!(
            "{}\nlet response = {chain}\n    .send()\n    .await?;\nprintln!(\"{{:?}}\", *response);",
            lets.join("\n")
        )
    };
    format!(
        "\n\n# Example\n\n```no_run\n# async fn example(client: waba_api::Client) -> Result<(), Box<dyn std::error::Error>> {{\n{body}\n# Ok(())\n# }}\n```"
    )
}

fn let_id(spec: &Spec, node: &str, var: &str) -> String {
    let ty = ids::ident(spec, node).map_or_else(|| "GraphId".to_string(), |i| format!("ids::{i}"));
    format!("let {var}: waba_api::{ty} = \"1234567890\".parse()?;")
}

/// An example value of a required parameter, as a Rust expression its argument accepts: text
/// as the parameter's own name, IDs parsed, lists of text as owned strings; every other type as
/// a model value.
fn value(spec: &Spec, p: &Param, ty: &Type) -> String {
    match ty {
        Type::String | Type::DateTime => format!("{:?}", p.name),
        Type::NumericString | Type::Id => "\"1234567890\".parse::<waba_api::GraphId>()?".into(),
        // A list argument takes items of the stored type: owned strings.
        Type::List(inner) if matches!(**inner, Type::String | Type::DateTime) => {
            format!("[{:?}.to_string()]", p.name)
        }
        Type::List(inner) => format!("[{}]", value(spec, p, inner)),
        other => model_value(spec, other, 0, None),
    }
}

/// An example value of a model type (a struct's member): structs through their `new`, a
/// `oneOf` as its first alternative with its discriminator (`tag`: member, value) set.
fn model_value(spec: &Spec, ty: &Type, depth: usize, tag: Option<(&str, &str)>) -> String {
    match ty {
        Type::String | Type::DateTime | Type::NumericString | Type::Id => {
            "\"example\".into()".into()
        }
        Type::Bool => "true".into(),
        Type::Int32 | Type::UInt32 | Type::Int64 => "1".into(),
        Type::Float => "1.0".into(),
        Type::Enum(e) => spec
            .enum_type(e)
            .and_then(|t| t.values.first())
            .map_or_else(
                || "Default::default()".into(),
                |v| format!("waba_api::models::{e}::{}", v.variant),
            ),
        Type::List(inner) => format!("vec![{}]", model_value(spec, inner, depth + 1, None)),
        Type::Map(_) => "std::collections::BTreeMap::new()".into(),
        Type::Json => "serde_json::json!({})".into(),
        Type::Object(n) if depth < 8 => match spec.struct_type(n).map(|s| &s.shape) {
            Some(Shape::Fields(fields)) => {
                let args: Vec<String> = fields
                    .iter()
                    .filter(|f| f.always)
                    .map(|f| match tag {
                        Some((member, value)) if member == f.name => match f.ty {
                            Type::Enum(_) => format!("{value:?}.parse()?"),
                            _ => format!("{value:?}.into()"),
                        },
                        _ => model_value(spec, &f.ty, depth + 1, None),
                    })
                    .collect();
                format!("waba_api::models::{n}::new({})", args.join(", "))
            }
            Some(Shape::OneOf {
                alternatives,
                discriminator,
            }) => match alternatives.first() {
                Some(a) => {
                    let tag = discriminator.as_deref().zip(a.tag.as_deref());
                    format!(
                        "waba_api::models::{n}::{}({})",
                        a.variant,
                        model_value(spec, &a.ty, depth + 1, tag)
                    )
                }
                None => format!("waba_api::models::{n}::Unknown(serde_json::json!({{}}))"),
            },
            None => "Default::default()".into(),
        },
        Type::Object(_) | Type::Node(_) | Type::Struct(_) => "Default::default()".into(),
    }
}
