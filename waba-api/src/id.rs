//! Graph object IDs, validated so that no input can change a request's path or query.

use std::fmt;

/// The longest ID accepted. Graph IDs are decimal numbers of up to about 20 digits.
const MAX_LEN: usize = 32;

/// A Graph object ID (a WhatsApp Business Account, business, user, …): a non-empty string of
/// ASCII digits. Every path segment and ID parameter of a request is a `GraphId`, so a hostile
/// string such as `123/../me` or `1?fields=x` is rejected before anything is sent.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GraphId(String);

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
        let id = id.into();
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
            None => Ok(GraphId(id)),
            Some(reason) => Err(InvalidId {
                shown: shown(&id),
                reason,
            }),
        }
    }

    /// The ID as text.
    pub fn as_str(&self) -> &str {
        &self.0
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
        write!(f, "GraphId({})", self.0)
    }
}

impl fmt::Display for GraphId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for GraphId {
    type Err = InvalidId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GraphId::new(s)
    }
}

impl TryFrom<&str> for GraphId {
    type Error = InvalidId;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        GraphId::new(s)
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
        GraphId(n.to_string())
    }
}

impl AsRef<str> for GraphId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl serde::Serialize for GraphId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for GraphId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        GraphId::new(s).map_err(serde::de::Error::custom)
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
    }
}
