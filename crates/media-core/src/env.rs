//! Reading configuration from the environment.

/// The value of the first of `names` that is set to something non-blank.
pub fn first_var(names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    })
}

/// Like [`first_var`], but a missing value is an [`crate::Error::InvalidInput`]
/// that names every variable consulted.
pub fn require_var(names: &[&str]) -> crate::Result<String> {
    first_var(names).ok_or_else(|| {
        crate::Error::InvalidInput(format!("set {} in the environment", names.join(" or ")))
    })
}
