//! The TLS crypto provider, chosen by cargo feature: `aws-lc` (default) or `ring`.

#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
compile_error!("waba-api needs a TLS crypto provider: enable feature `aws-lc` (default) or `ring`");

/// Makes sure reqwest finds a crypto provider when it builds its client. With `aws-lc` reqwest
/// brings its own. With only `ring`, reqwest uses the process's default provider, so ring is
/// installed as that default unless the program installed one already.
pub(crate) fn ensure_provider() {
    #[cfg(all(feature = "ring", not(feature = "aws-lc")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Fails only if another thread installed a provider meanwhile, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    /// The client builds with the provider the features chose (reqwest panics without one).
    #[test]
    fn a_client_builds_with_the_chosen_provider() {
        crate::Client::builder("EAAtoken")
            .build()
            .expect("the client builds");
        #[cfg(all(feature = "ring", not(feature = "aws-lc")))]
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
