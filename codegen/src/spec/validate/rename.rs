//! The overlay's `type_names`: enum and struct types renamed before validation, so every later
//! step (and every emitted reference) sees only the Rust name.

use super::super::load::RawSpec;
use super::super::raw::{OrderedMap, PageDoc, RawField, RawParam, StructDoc};

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
    for (_, doc) in &mut out.pages {
        doc.rename_types(names);
    }
    for (_, doc) in &mut out.structs {
        doc.rename_types(names);
    }
    if let Some((_, ov)) = &mut out.overlay {
        rename_enums(&mut ov.enums, names);
        ov.variant_names
            .0
            .iter_mut()
            .for_each(|(n, _)| key(n, names));
        for op in &mut ov.operations {
            params(&mut op.params, names);
            for (_, t) in &mut op.field_types.0 {
                *t = rename_type(t, names);
            }
        }
        for (_, node) in &mut ov.nodes.0 {
            node.fields.iter_mut().for_each(|f| ty(&mut f.ty, names));
            for (_, t) in &mut node.field_types.0 {
                *t = rename_type(t, names);
            }
        }
    }
    (out, unused)
}

fn ty(t: &mut Option<String>, names: &OrderedMap<String, String>) {
    if let Some(t) = t {
        *t = rename_type(t, names);
    }
}

fn key(k: &mut String, names: &OrderedMap<String, String>) {
    if let Some(to) = names.get(k) {
        *k = to.clone();
    }
}

fn fields(fs: &mut [RawField], names: &OrderedMap<String, String>) {
    fs.iter_mut().for_each(|f| ty(&mut f.ty, names));
}

fn params(ps: &mut [RawParam], names: &OrderedMap<String, String>) {
    ps.iter_mut().for_each(|p| ty(&mut p.ty, names));
}

impl PageDoc {
    /// Renames the types in `names` wherever the document names or declares them (its
    /// fields, parameters, return shapes and enums; enums that become one merge their values):
    /// the overlay's `type_names`, and regen's names for enums that would otherwise meet.
    pub fn rename_types(&mut self, names: &OrderedMap<String, String>) {
        fields(&mut self.fields, names);
        rename_enums(&mut self.enums, names);
        for op in &mut self.operations {
            params(&mut op.params, names);
            ty(&mut op.returns, names);
            fields(&mut op.added_fields, names);
            fields(&mut op.summary_fields, names);
        }
    }
}

impl StructDoc {
    /// Renames the types in `names` wherever the struct names or declares them, its own name
    /// included (see [`PageDoc::rename_types`]).
    pub fn rename_types(&mut self, names: &OrderedMap<String, String>) {
        key(&mut self.name, names);
        params(&mut self.fields, names);
        rename_enums(&mut self.enums, names);
        for alt in &mut self.one_of {
            alt.ty = rename_type(&alt.ty, names);
        }
    }
}

/// `ty` (as written in the spec) with every whole type name found in `names` replaced.
fn rename_type(ty: &str, names: &OrderedMap<String, String>) -> String {
    let mut out = String::with_capacity(ty.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(names.get(word).map_or(word.as_str(), String::as_str));
        word.clear();
    };
    for c in ty.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
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
