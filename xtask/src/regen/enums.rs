//! Enum names across documents.
//!
//! Codegen has one namespace of enums and unites the values of every document that declares a
//! name. Pages name an inline enum after its parameter, so unrelated value sets can meet under
//! one generic name: a WABA's phone numbers `sort` by `creation_time.asc`, its schedules by
//! `created_time.asc`, both `enum Sort`. Where two documents declare a name with value sets that
//! share no value, each declaring document's enum is qualified by the document's edge (or node,
//! or struct) name: `PhoneNumbersSort`, `SchedulesSort`. A declaration without values joins no
//! one and keeps its name.

use waba_codegen::names::upper_camel;
use waba_codegen::spec::raw::{OrderedMap, PageDoc, StructDoc};

/// One declaration of an enum: where, and its values.
struct Declared<'a> {
    /// The document path (`edges/X.y.yaml`) or struct name.
    holder: String,
    /// The qualifier the holder gives a name.
    qualifier: String,
    values: &'a [String],
}

/// Qualifies the enum names that documents and structs declare with disjoint values (see the
/// module docs); returns a report line per name qualified.
pub fn qualify_disjoint(docs: &mut [(String, PageDoc)], structs: &mut [StructDoc]) -> Vec<String> {
    let mut by_name: Vec<(String, Vec<Declared<'_>>)> = Vec::new();
    let declared = docs
        .iter()
        .map(|(path, d)| {
            let qualifier = upper_camel(d.edge.as_deref().unwrap_or(&d.node));
            (path.clone(), qualifier, &d.enums)
        })
        .chain(
            structs
                .iter()
                .map(|s| (format!("structs/{}.yaml", s.name), s.name.clone(), &s.enums)),
        );
    for (holder, qualifier, enums) in declared {
        for (name, values) in enums.0.iter().filter(|(_, v)| !v.is_empty()) {
            let d = Declared {
                holder: holder.clone(),
                qualifier: qualifier.clone(),
                values,
            };
            match by_name.iter_mut().find(|(n, _)| n == name) {
                Some((_, list)) => list.push(d),
                None => by_name.push((name.clone(), vec![d])),
            }
        }
    }
    // holder → (old name → new name)
    let mut renames: Vec<(String, OrderedMap<String, String>)> = Vec::new();
    let mut report = Vec::new();
    for (name, list) in &by_name {
        let disjoint = list.iter().enumerate().any(|(i, a)| {
            list[i + 1..]
                .iter()
                .any(|b| !a.values.iter().any(|v| b.values.contains(v)))
        });
        if !disjoint {
            continue;
        }
        let mut names = Vec::new();
        for d in list {
            let to = format!("{}{name}", d.qualifier);
            names.push(format!("`{to}` ({})", d.holder));
            match renames.iter_mut().find(|(h, _)| *h == d.holder) {
                Some((_, map)) => map.0.push((name.clone(), to)),
                None => renames.push((d.holder.clone(), OrderedMap(vec![(name.clone(), to)]))),
            }
        }
        report.push(format!(
            "enum `{name}`: documents declare it with no value in common, so each is named apart: {}",
            names.join(", ")
        ));
    }
    for (holder, map) in &renames {
        if let Some((_, doc)) = docs.iter_mut().find(|(p, _)| p == holder) {
            doc.rename_types(map);
        } else if let Some(s) = structs
            .iter_mut()
            .find(|s| format!("structs/{}.yaml", s.name) == *holder)
        {
            s.rename_types(map);
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use waba_codegen::spec::raw::{RawOperation, RawParam};

    fn doc(edge: &str, param: &str, values: &[&str]) -> (String, PageDoc) {
        (
            format!("edges/X.{edge}.yaml"),
            PageDoc {
                node: "X".into(),
                edge: Some(edge.into()),
                operations: vec![RawOperation {
                    params: vec![RawParam {
                        name: param.into(),
                        ty: Some("list<enum Sort>".into()),
                        ..RawParam::default()
                    }],
                    ..RawOperation::default()
                }],
                enums: OrderedMap(vec![(
                    "Sort".into(),
                    values.iter().map(|v| v.to_string()).collect(),
                )]),
                ..PageDoc::default()
            },
        )
    }

    #[test]
    fn disjoint_value_sets_are_named_apart_and_overlapping_ones_stay_one() {
        let mut docs = vec![
            doc("phone_numbers", "sort", &["creation_time.asc"]),
            doc("schedules", "sort", &["created_time.asc"]),
        ];
        let report = qualify_disjoint(&mut docs, &mut []);
        assert_eq!(report.len(), 1, "{report:?}");
        let (a, b) = (&docs[0].1, &docs[1].1);
        assert_eq!(a.enums.0[0].0, "PhoneNumbersSort");
        assert_eq!(
            a.operations[0].params[0].ty.as_deref(),
            Some("list<enum PhoneNumbersSort>")
        );
        assert_eq!(b.enums.0[0].0, "SchedulesSort");

        let mut docs = vec![
            doc("a", "sort", &["x", "y"]),
            doc("b", "sort", &["y", "z"]),
            doc("c", "sort", &[]),
        ];
        assert!(qualify_disjoint(&mut docs, &mut []).is_empty());
        assert!(docs.iter().all(|(_, d)| d.enums.0[0].0 == "Sort"));
    }
}
