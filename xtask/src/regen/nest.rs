//! Re-nesting a classic page's flattened parameter table.
//!
//! Meta's classic reference pages print a body's nested attributes (a template's `components`
//! → `buttons` → `url`) as rows of the one parameter table, directly below the row of the
//! object or list of objects that holds them, with nothing marking where a level ends. Two
//! regularities of these tables say it instead:
//! - the top-level parameters are listed in name order, and the rows nested in one sit
//!   directly below it;
//! - a name is listed once per level, so a name that repeats belongs to an outer level.
//!
//! The top level is therefore read as the longest run of rows, in name order, in which only an
//! object row is followed by rows that are not top-level, and no top-level name repeats a name
//! listed above it. Inside an object, a row joins the innermost open level unless
//! its name is already there (then the level closes). The pages themselves cannot settle
//! every case (a last scalar of a nested list may read as top-level); where it matters, the
//! expected facts of a page say so.

use std::collections::HashSet;

/// One row of a flattened table: its name and whether it is an object (or a list of objects)
/// whose attributes may follow.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The parameter's name.
    pub name: &'a str,
    /// Whether it opens a level.
    pub object: bool,
}

/// Tables longer than this are not re-nested (the search is quadratic in the worst case; Meta's
/// longest parameter table has about 70 rows).
pub const MAX_ROWS: usize = 2_000;

/// How deep objects nest at most (Meta's deepest documented nesting is 5, as in
/// [`super::openapi`]); an object row deeper down opens no level.
pub const MAX_DEPTH: usize = 8;

/// A table's reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nesting {
    /// The index of each row's parent (`None`: top level).
    pub parents: Vec<Option<usize>>,
    /// Object rows at [`MAX_DEPTH`]: they open no level (the rows after them stay beside them).
    pub too_deep: Vec<usize>,
    /// Rows whose name the object holding them already has (two rows, one attribute).
    pub repeated: Vec<usize>,
}

impl Nesting {
    /// `n` rows, all at the top level.
    pub fn flat(n: usize) -> Self {
        Nesting {
            parents: vec![None; n],
            too_deep: Vec::new(),
            repeated: Vec::new(),
        }
    }

    /// Each row's dotted path (`components.buttons.type`), from the rows' names.
    pub fn paths(&self, names: &[&str]) -> Vec<String> {
        (0..self.parents.len())
            .map(|mut k| {
                let mut path = vec![names[k]];
                while let Some(p) = self.parents[k] {
                    path.push(names[p]);
                    k = p;
                }
                path.reverse();
                path.join(".")
            })
            .collect()
    }
}

/// How the rows nest, or `None` when no reading satisfies the rules or the table has more than
/// [`MAX_ROWS`] rows (the caller then leaves it flat). A table without object rows is flat.
pub fn parents(rows: &[Row<'_>]) -> Option<Nesting> {
    let n = rows.len();
    let mut out = Nesting::flat(n);
    if !rows.iter().any(|r| r.object) {
        return Some(out);
    }
    if n > MAX_ROWS {
        return None;
    }
    let top = top_level(rows)?;
    for (k, &start) in top.iter().enumerate() {
        let end = top.get(k + 1).copied().unwrap_or(n);
        // Rows nested in `start`: a stack of open levels, each with the names it holds.
        let mut open: Vec<(usize, Vec<&str>)> = vec![(start, Vec::new())];
        for (r, row) in rows.iter().enumerate().take(end).skip(start + 1) {
            while open.len() > 1
                && open
                    .last()
                    .is_some_and(|(_, names)| names.contains(&row.name))
            {
                open.pop();
            }
            let depth = open.len();
            let (parent, names) = open.last_mut()?;
            out.parents[r] = Some(*parent);
            if names.contains(&row.name) {
                out.repeated.push(r);
            }
            names.push(row.name);
            if row.object && depth >= MAX_DEPTH {
                out.too_deep.push(r);
            } else if row.object {
                open.push((r, Vec::new()));
            }
        }
    }
    Some(out)
}

/// The top-level rows: the longest chain from row 0 in which names ascend, each row's
/// predecessor in the chain is the row directly above it or an object row (whose attributes
/// fill the gap), no name repeats one listed above it, and the last row is the table's last or
/// an object (the rest nests in it). Ties keep the chain found first.
fn top_level(rows: &[Row<'_>]) -> Option<Vec<usize>> {
    let n = rows.len();
    // best[j]: length of the longest chain ending at j, and its previous row.
    let mut best: Vec<Option<(usize, Option<usize>)>> = vec![None; n];
    best[0] = Some((1, None));
    let mut seen: HashSet<&str> = HashSet::from([rows[0].name]);
    // A row's predecessor is the row above it or an object row: the search stays linear in the
    // object rows, whatever the table's length.
    let mut objects: Vec<usize> = Vec::new();
    for j in 1..n {
        if rows[j - 1].object {
            objects.push(j - 1);
        }
        let repeats = !seen.insert(rows[j].name);
        if repeats {
            continue;
        }
        let before = objects.iter().copied().filter(|&i| i + 1 < j);
        for i in before.chain(std::iter::once(j - 1)) {
            let Some((len, _)) = best[i] else { continue };
            if rows[j].name > rows[i].name && best[j].is_none_or(|(l, _)| len + 1 > l) {
                best[j] = Some((len + 1, Some(i)));
            }
        }
    }
    let mut last: Option<(usize, usize)> = None;
    for (j, b) in best.iter().enumerate() {
        if let Some((len, _)) = b
            && (j + 1 == n || rows[j].object)
            && last.is_none_or(|(l, _)| *len > l)
        {
            last = Some((*len, j));
        }
    }
    let mut chain = Vec::new();
    let mut at = Some(last?.1);
    while let Some(j) = at {
        chain.push(j);
        at = best[j].and_then(|(_, prev)| prev);
    }
    chain.reverse();
    Some(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(spec: &str) -> Vec<Row<'_>> {
        spec.split_whitespace()
            .map(|w| match w.strip_suffix('*') {
                Some(name) => Row { name, object: true },
                None => Row {
                    name: w,
                    object: false,
                },
            })
            .collect()
    }

    /// `parent.child` paths of each row.
    fn paths(spec: &str) -> Option<Vec<String>> {
        let r = rows(spec);
        let names: Vec<&str> = r.iter().map(|row| row.name).collect();
        Some(parents(&r)?.paths(&names))
    }

    #[test]
    fn a_table_without_objects_is_flat() {
        assert_eq!(paths("b a c").unwrap(), ["b", "a", "c"]);
    }

    #[test]
    fn the_top_level_resumes_in_name_order_after_the_nested_rows() {
        // The shape of a template upsert: two levels, then two top-level parameters.
        let got = paths(
            "category components* type add_security code_expiration buttons* type otp_type \
             package_name signature_hash languages name",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                "category",
                "components",
                "components.type",
                "components.add_security",
                "components.code_expiration",
                "components.buttons",
                "components.buttons.type",
                "components.buttons.otp_type",
                "components.buttons.package_name",
                "components.buttons.signature_hash",
                "languages",
                "name",
            ]
        );
    }

    #[test]
    fn a_repeated_name_closes_a_level_and_cannot_be_top_level() {
        // `example` repeats one nested in `buttons`: it belongs to `components`, not the top.
        let got = paths("components* type buttons* type example example* text language").unwrap();
        assert_eq!(
            got,
            [
                "components",
                "components.type",
                "components.buttons",
                "components.buttons.type",
                "components.buttons.example",
                "components.example",
                "components.example.text",
                "language",
            ]
        );
    }

    #[test]
    fn an_object_may_hold_the_rest_of_the_table() {
        // Nothing after `d` sorts after it: it holds the rest.
        assert_eq!(paths("c d* a b").unwrap(), ["c", "d", "d.a", "d.b"]);
        // Else the longest top level wins: `y` may follow `b`, `z` then `y` may not.
        assert_eq!(paths("a b* z y").unwrap(), ["a", "b", "b.z", "y"]);
    }

    #[test]
    fn a_long_table_of_objects_is_refused_quickly() {
        let names: Vec<String> = (0..=MAX_ROWS).map(|i| format!("n{i:05}")).collect();
        let rows: Vec<Row<'_>> = names
            .iter()
            .map(|name| Row { name, object: true })
            .collect();
        assert_eq!(parents(&rows), None);
        // At the limit every row is an object, and the longest chain takes them all.
        let top = parents(&rows[..MAX_ROWS]).expect("a reading");
        assert!(top.parents.iter().all(Option::is_none));
    }

    #[test]
    fn objects_nest_no_deeper_than_the_limit() {
        // Descending names: each object row nests in the one above, until the limit.
        let names: Vec<String> = (0..20).rev().map(|i| format!("n{i:02}")).collect();
        let rows: Vec<Row<'_>> = names
            .iter()
            .map(|name| Row { name, object: true })
            .collect();
        let got = parents(&rows).expect("a reading");
        let depth = |mut k: usize| {
            let mut d = 0;
            while let Some(p) = got.parents[k] {
                d += 1;
                k = p;
            }
            d
        };
        assert_eq!((0..rows.len()).map(depth).max(), Some(MAX_DEPTH));
        assert_eq!(got.too_deep.first(), Some(&MAX_DEPTH));
        assert_eq!(got.too_deep.len(), rows.len() - MAX_DEPTH);
    }

    #[test]
    fn a_name_repeated_in_the_outer_object_is_said() {
        let r = rows("components* type text type");
        let got = parents(&r).expect("a reading");
        assert_eq!(got.parents, [None, Some(0), Some(0), Some(0)]);
        assert_eq!(got.repeated, [3]);
    }

    #[test]
    fn a_table_no_reading_fits_is_refused() {
        // A scalar first row followed by a smaller name: nothing can hold it.
        assert_eq!(paths("b a c*"), None);
    }
}
