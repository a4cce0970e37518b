//! Support for the generated open enums: a value the spec does not know is kept, not rejected.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

/// A wire value an open enum does not know. Only waba-api creates it (by parsing or
/// deserializing), so an unknown value can never shadow a known variant.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    pub(crate) fn new(s: &str) -> Self {
        UnknownValue(s.into())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// A number a code enum ([`ErrorCode`](crate::ErrorCode), [`ErrorSubcode`](crate::ErrorSubcode))
/// does not name. Only waba-api creates it, and never for a named number, so a known code is
/// only ever its named variant:
///
/// ```
/// use waba_api::ErrorCode;
/// assert_eq!(ErrorCode::from_i64(613), ErrorCode::CustomRateLimit);
/// assert!(matches!(ErrorCode::from_i64(131000), ErrorCode::Unknown(c) if c.get() == 131000));
/// ```
///
/// A user cannot make one up (which would let `Unknown(613)` compile and never match):
///
/// ```compile_fail
/// let _ = waba_api::ErrorCode::Unknown(waba_api::UnknownCode::new(613));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownCode(i64);

impl UnknownCode {
    pub(crate) fn new(code: i64) -> Self {
        UnknownCode(code)
    }

    /// The number as received.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Debug for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Writes a code as the code enums display it: `#463 (description)`, or `#463`.
pub fn fmt_code(f: &mut fmt::Formatter<'_>, code: i64, description: Option<&str>) -> fmt::Result {
    match description {
        Some(d) => write!(f, "#{code} ({d})"),
        None => write!(f, "#{code}"),
    }
}

/// Deserializes any string into an open enum through its infallible `FromStr`.
pub fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromStr<Err = Infallible>,
{
    struct Visit<T>(std::marker::PhantomData<T>);
    impl<T: FromStr<Err = Infallible>> serde::de::Visitor<'_> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            match T::from_str(s) {
                Ok(v) => Ok(v),
                Err(never) => match never {},
            }
        }
    }
    d.deserialize_str(Visit(std::marker::PhantomData))
}
