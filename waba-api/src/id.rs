//! Graph object IDs, validated so that no input can change a request's path or query.

use std::fmt;

/// The longest ID accepted. Graph IDs are decimal numbers of up to about 20 digits.
const MAX_LEN: usize = 32;

/// A Graph object ID (a WhatsApp Business Account, business, user, …): a non-empty string of
/// ASCII digits. Every path segment and ID parameter of a request is a `GraphId`, so a hostile
/// string such as `123/../me` or `1?fields=x` is rejected before anything is sent.
///
/// Held inline (at most 32 digits), not on the heap: a request builder copies the IDs it keeps,
/// and that copy must not cost an allocation per call.
#[derive(Clone)]
pub struct GraphId {
    len: u8,
    digits: [u8; MAX_LEN],
}

/// A string that is not a Graph ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid Graph ID {shown}: {reason}")]
pub struct InvalidId {
    shown: String,
    reason: &'static str,
}

impl GraphId {
    /// Validates `id`.
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidId> {
        GraphId::parse(&id.into())
    }

    /// Validates `id` without taking ownership of it.
    fn parse(id: &str) -> Result<Self, InvalidId> {
        let reason = if id.is_empty() {
            Some("it is empty")
        } else if id.len() > MAX_LEN {
            Some("it is longer than 32 characters")
        } else if !id.bytes().all(|b| b.is_ascii_digit()) {
            Some("Graph IDs are decimal digits only")
        } else {
            None
        };
        match reason {
            None => Ok(GraphId::from_digits(id.as_bytes())),
            Some(reason) => Err(InvalidId {
                shown: shown(id),
                reason,
            }),
        }
    }

    /// `digits`: 1 to `MAX_LEN` ASCII digits (checked by the callers).
    fn from_digits(digits: &[u8]) -> Self {
        let mut id = GraphId {
            len: digits.len() as u8,
            digits: [0; MAX_LEN],
        };
        id.digits[..digits.len()].copy_from_slice(digits);
        id
    }

    /// The ID as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored (`new`, `from`).
        std::str::from_utf8(&self.digits[..usize::from(self.len)])
            .expect("a GraphId holds ASCII digits")
    }
}

// Compared, ordered and hashed as its text, as when it was a `String`.
impl PartialEq for GraphId {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for GraphId {}

impl std::hash::Hash for GraphId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for GraphId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for GraphId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// A short, printable rendering of rejected input for error messages.
fn shown(id: &str) -> String {
    let mut s: String = id.chars().take(40).collect();
    if id.chars().count() > 40 {
        s.push('…');
    }
    format!("{s:?}")
}

impl fmt::Debug for GraphId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GraphId({})", self.as_str())
    }
}

impl fmt::Display for GraphId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for GraphId {
    type Err = InvalidId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GraphId::parse(s)
    }
}

impl TryFrom<&str> for GraphId {
    type Error = InvalidId;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        GraphId::parse(s)
    }
}

impl TryFrom<String> for GraphId {
    type Error = InvalidId;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        GraphId::new(s)
    }
}

impl From<u64> for GraphId {
    fn from(n: u64) -> Self {
        // u64::MAX has 20 digits.
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        let mut n = n;
        loop {
            at -= 1;
            buf[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        GraphId::from_digits(&buf[at..])
    }
}

impl AsRef<str> for GraphId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl serde::Serialize for GraphId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for GraphId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Validated from the borrowed text where the format allows (no `String` per ID).
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = GraphId;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Graph ID (a string of decimal digits)")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<GraphId, E> {
                GraphId::parse(s).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// Declares the typed ID of one node (`WabaId`, `BusinessId`, …): a [`GraphId`] that only
/// operations on that node accept, so passing a business ID where a WABA ID belongs does not
/// compile. The generated code invokes it once per node of the spec.
macro_rules! typed_id {
    ($name:ident, $doc:expr) => {
        #[doc = $doc]
        #[derive(
            Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name($crate::GraphId);

        impl $name {
            /// Validates `id` as a [`GraphId`](crate::GraphId) does.
            pub fn new(id: impl Into<String>) -> Result<Self, $crate::InvalidId> {
                $crate::GraphId::new(id).map($name)
            }

            /// The ID as text.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// The untyped ID.
            pub fn graph_id(&self) -> &$crate::GraphId {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::InvalidId;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::InvalidId;

            fn try_from(s: &str) -> Result<Self, Self::Error> {
                $name::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::InvalidId;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::new(s)
            }
        }

        impl From<u64> for $name {
            fn from(n: u64) -> Self {
                $name($crate::GraphId::from(n))
            }
        }

        /// An untyped ID, e.g. one read from configuration, taken as this node's.
        impl From<$crate::GraphId> for $name {
            fn from(id: $crate::GraphId) -> Self {
                $name(id)
            }
        }

        impl From<$name> for $crate::GraphId {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.0.as_str()
            }
        }
    };
}
pub(crate) use typed_id;

#[cfg(test)]
mod tests {
    use super::GraphId;

    #[test]
    fn accepts_digits_only() {
        assert_eq!(
            GraphId::new("104996122399160").unwrap().as_str(),
            "104996122399160"
        );
        assert_eq!(GraphId::from(42u64).as_str(), "42");
        for bad in [
            "",
            "12/34",
            "1?x=1",
            "1#a",
            "..",
            "%2F",
            "1 2",
            "1\n",
            "١٢٣",
            "-1",
            "1.0",
            &"9".repeat(33),
        ] {
            let err = GraphId::new(bad).unwrap_err().to_string();
            assert!(err.starts_with("invalid Graph ID"), "{bad:?}: {err}");
        }
        assert_eq!(
            GraphId::new("9".repeat(32)).unwrap().as_str(),
            "9".repeat(32)
        );
        assert_eq!(GraphId::from(0u64).as_str(), "0");
        assert_eq!(GraphId::from(u64::MAX).as_str(), u64::MAX.to_string());
    }

    #[test]
    fn compares_orders_and_hashes_as_its_text() {
        use std::collections::HashSet;
        let ids: Vec<GraphId> = ["9", "10", "10", "100"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        let text: Vec<&str> = sorted.iter().map(GraphId::as_str).collect();
        assert_eq!(text, ["10", "10", "100", "9"]);
        assert_eq!(ids[1], ids[2]);
        assert_ne!(ids[0], ids[1]);
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 3);
        assert_eq!(format!("{:?} {}", ids[1], ids[1]), "GraphId(10) 10");
    }

    #[test]
    fn decodes_from_json_text_only() {
        let id: GraphId = serde_json::from_str(r#""104996122399160""#).unwrap();
        assert_eq!(id.as_str(), "104996122399160");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""104996122399160""#);
        // An escaped string (no borrowed text) decodes too.
        let id: GraphId = serde_json::from_str(r#""\u0031\u0032""#).unwrap();
        assert_eq!(id.as_str(), "12");
        for bad in [r#""12/3""#, "12", r#""""#] {
            let err = serde_json::from_str::<GraphId>(bad)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("invalid Graph ID") || err.contains("a Graph ID"),
                "{bad}: {err}"
            );
        }
    }
}
