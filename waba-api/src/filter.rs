//! Typed conditions for Graph's `filtering` parameter: a field selector, an operator and a
//! value, with no JSON written by hand.

use std::fmt;

use crate::FieldSelector;
use crate::models::{Filter, FilterOperator};

/// The value side of a [`Filter`]: text, a number, a boolean, or a list of values (for `IN`,
/// `NOT_IN`, `IN_RANGE`, …). Open enums convert through their wire text.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterValue(serde_json::Value);

impl FilterValue {
    /// A list of values, each as its text (`Display`): `FilterValue::list([OwnershipType::SelfOwned])`.
    pub fn list<T: fmt::Display>(items: impl IntoIterator<Item = T>) -> Self {
        FilterValue(serde_json::Value::Array(
            items
                .into_iter()
                .map(|v| serde_json::Value::String(v.to_string()))
                .collect(),
        ))
    }
}

/// A single value, as JSON has it.
macro_rules! scalar {
    ($($t:ty),*) => {$(
        impl From<$t> for FilterValue {
            fn from(v: $t) -> Self {
                FilterValue(v.into())
            }
        }
    )*};
}
scalar!(&str, String, i64, f64, bool);

/// A list of values, each as its text.
impl<T: fmt::Display, const N: usize> From<[T; N]> for FilterValue {
    fn from(items: [T; N]) -> Self {
        FilterValue::list(items)
    }
}

impl Filter {
    /// The condition `field operator value` on the listed items' fields, e.g.
    /// `Filter::on(F::OwnershipType, FilterOperator::In, [OwnershipType::SelfOwned])`.
    ///
    /// ```
    /// use waba_api::models::{Filter, FilterOperator, OwnershipType, WhatsAppBusinessAccountField as F};
    ///
    /// let filter = Filter::on(
    ///     F::OwnershipType,
    ///     FilterOperator::In,
    ///     [OwnershipType::SelfOwned, OwnershipType::ClientOwned],
    /// );
    /// assert_eq!(filter.field, "ownership_type");
    /// assert_eq!(filter.value.to_string(), r#"["SELF_OWNED","CLIENT_OWNED"]"#);
    /// ```
    pub fn on(
        field: impl FieldSelector,
        operator: FilterOperator,
        value: impl Into<FilterValue>,
    ) -> Filter {
        Filter::new(field.as_str().to_owned(), operator, value.into().0)
    }
}
