//! The input checks every provider crate makes before anything is sent: a
//! failed check is [`Error::InvalidInput`] naming the parameter.

use std::fmt::Display;
use std::ops::RangeInclusive;

use crate::{Error, Result};

/// Refuses an empty (or blank) required text parameter.
///
/// ```
/// assert!(media_core::check::non_empty("prompt", "Summarise").is_ok());
/// assert!(media_core::check::non_empty("prompt", "  ").is_err());
/// ```
pub fn non_empty(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::InvalidInput(format!("`{name}` must not be empty")));
    }
    Ok(())
}

/// Refuses a value outside `range`; an absent value passes (the provider's
/// default applies). NaN is outside every range.
///
/// ```
/// assert!(media_core::check::in_range("top_p", Some(0.5), 0.0..=1.0).is_ok());
/// assert!(media_core::check::in_range("top_p", None, 0.0..=1.0).is_ok());
/// assert!(media_core::check::in_range("top_p", Some(f64::NAN), 0.0..=1.0).is_err());
/// ```
pub fn in_range<T: PartialOrd + Display>(
    name: &str,
    value: Option<T>,
    range: RangeInclusive<T>,
) -> Result<()> {
    match value {
        Some(value) if !range.contains(&value) => Err(Error::InvalidInput(format!(
            "`{name}` must be in {}..={}, got {value}",
            range.start(),
            range.end()
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_the_parameter_and_the_bounds() {
        let Err(Error::InvalidInput(message)) = non_empty("video_no", "") else {
            panic!("an empty value must be refused");
        };
        assert_eq!(message, "`video_no` must not be empty");
        let Err(Error::InvalidInput(message)) = in_range("max_logos", Some(51), 1..=50) else {
            panic!("51 is outside 1..=50");
        };
        assert_eq!(message, "`max_logos` must be in 1..=50, got 51");
        assert!(in_range("max_logos", Some(50), 1..=50).is_ok());
        assert!(in_range("max_logos", Some(1), 1..=50).is_ok());
    }
}
