//! The overlay's `type_names`: enum and struct types renamed before validation, so every later
//! step (and every emitted reference) sees only the Rust name.

use super::super::load::RawSpec;
use super::super::raw::{OrderedMap, RawField, RawParam};
use super::super::types::rename as rename_type;

/// An `enums:` map with its names renamed; two names that become one merge their values
/// (first-declared order), as two documents declaring one enum do.
fn rename_enums(map: &mut OrderedMap<String, Vec<String>>, names: &OrderedMap<String, String>) {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (name, values) in std::mem::take(&mut map.0) {
        let name = names.get(&name).cloned().unwrap_or(name);
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, kept)) => {
                for v in values {
                    if !kept.contains(&v) {
                        kept.push(v);
                    }
                }
            }
            None => out.push((name, values)),
        }
    }
    map.0 = out;
}

/// `raw` with every enum and struct named in `names` renamed (declarations and references);
/// returns the names no document declares, for the caller to report.
pub(crate) fn apply(raw: &RawSpec, names: &OrderedMap<String, String>) -> (RawSpec, Vec<String>) {
    let mut out = raw.clone();
    if names.is_empty() {
        return (out, Vec::new());
    }
    let mut declared: Vec<&str> = Vec::new();
    for (_, doc) in &raw.pages {
        declared.extend(doc.enums.0.iter().map(|(n, _)| n.as_str()));
    }
    for (_, doc) in &raw.structs {
        declared.push(&doc.name);
        declared.extend(doc.enums.0.iter().map(|(n, _)| n.as_str()));
    }
    let unused = names
        .0
        .iter()
        .filter(|(from, _)| !declared.contains(&from.as_str()))
        .map(|(from, _)| from.clone())
        .collect();
    let ty = |t: &mut Option<String>| {
        if let Some(t) = t {
            *t = rename_type(t, names);
        }
    };
    let key = |k: &mut String| {
        if let Some(to) = names.get(k) {
            *k = to.clone();
        }
    };
    let fields = |fs: &mut Vec<RawField>| fs.iter_mut().for_each(|f| ty(&mut f.ty));
    let params = |ps: &mut Vec<RawParam>| ps.iter_mut().for_each(|p| ty(&mut p.ty));
    for (_, doc) in &mut out.pages {
        fields(&mut doc.fields);
        rename_enums(&mut doc.enums, names);
        for op in &mut doc.operations {
            params(&mut op.params);
            ty(&mut op.returns);
            fields(&mut op.added_fields);
            fields(&mut op.summary_fields);
        }
    }
    for (_, doc) in &mut out.structs {
        key(&mut doc.name);
        params(&mut doc.fields);
        rename_enums(&mut doc.enums, names);
        for alt in &mut doc.one_of {
            alt.ty = rename_type(&alt.ty, names);
        }
    }
    if let Some((_, ov)) = &mut out.overlay {
        rename_enums(&mut ov.enums, names);
        ov.variant_names.0.iter_mut().for_each(|(n, _)| key(n));
        for op in &mut ov.operations {
            params(&mut op.params);
            for (_, t) in &mut op.field_types.0 {
                *t = rename_type(t, names);
            }
        }
        for (_, node) in &mut ov.nodes.0 {
            node.fields.iter_mut().for_each(|f| ty(&mut f.ty));
            for (_, t) in &mut node.field_types.0 {
                *t = rename_type(t, names);
            }
        }
    }
    (out, unused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_renamed_into_one_name_merge() {
        let names = OrderedMap(vec![("LongRating".to_string(), "Rating".to_string())]);
        let mut enums = OrderedMap(vec![
            ("Rating".to_string(), vec!["GREEN".to_string()]),
            (
                "LongRating".to_string(),
                vec!["GREEN".to_string(), "RED".to_string()],
            ),
        ]);
        rename_enums(&mut enums, &names);
        assert_eq!(
            enums.0,
            [(
                "Rating".to_string(),
                vec!["GREEN".to_string(), "RED".to_string()]
            )]
        );
    }

    #[test]
    fn renames_whole_names_only() {
        let names = OrderedMap(vec![("LongTask".to_string(), "Task".to_string())]);
        assert_eq!(
            rename_type("list<enum LongTask>", &names),
            "list<enum Task>"
        );
        assert_eq!(rename_type("enum LongTasks", &names), "enum LongTasks");
        assert_eq!(
            rename_type("Struct {a: LongTask, b: map<string, LongTask>}", &names),
            "Struct {a: Task, b: map<string, Task>}"
        );
    }
}
