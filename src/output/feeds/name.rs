//! A person's calendar feed: its file name (their id, or with `calendar.secret_env` a
//! keyed hash of it) and its `webcal://` subscription address (docs/feeds.md).

use crate::model::Model;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How one build names personal feeds: by id, or by a keyed hash of the id when the
/// data asks for secret names (`calendar.secret_env`) and the command found the secret.
#[derive(Clone, Default)]
pub struct FeedNames {
    secret: Option<String>,
}

impl std::fmt::Debug for FeedNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret itself.
        f.debug_struct("FeedNames")
            .field("secret", &self.secret.as_ref().map(|_| "…"))
            .finish()
    }
}

impl FeedNames {
    /// Feeds named by id.
    pub fn by_id() -> FeedNames {
        FeedNames { secret: None }
    }

    /// Feeds named by a keyed hash of the id (`secret`: the value of the variable that
    /// `calendar.secret_env` names, as the command read it; empty counts as unset).
    pub fn keyed(secret: Option<String>) -> FeedNames {
        FeedNames {
            secret: secret.filter(|s| !s.is_empty()),
        }
    }

    /// Whether names are secret (the site then links no personal feed, and rota feeds,
    /// which list everyone, are not built).
    pub fn are_secret(&self) -> bool {
        self.secret.is_some()
    }

    /// The secret's length in bytes, if there is one.
    pub fn secret_len(&self) -> Option<usize> {
        self.secret.as_ref().map(String::len)
    }

    /// The file name (without `.ics`) of `person`'s feed.
    pub fn name(&self, person: &str) -> String {
        let Some(key) = &self.secret else {
            return person.to_string();
        };
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()) else {
            // HMAC takes a key of any length: never reached.
            return person.to_string();
        };
        mac.update(b"rota feed\0");
        mac.update(person.as_bytes());
        let digest = mac.finalize().into_bytes();
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }

    /// `webcal://…/calendars/NAME.ics`: where `person` subscribes to their feed.
    pub fn url(&self, model: &Model, person: &str) -> String {
        webcal(&crate::output::feeds::site_url(
            model,
            &format!("calendars/{}.ics", self.name(person)),
        ))
    }
}

/// A feed's `http(s)://` address as the `webcal://` one that calendar apps subscribe to;
/// any other address as it is.
pub fn webcal(url: &str) -> String {
    match url.split_once("://") {
        Some(("http" | "https", rest)) => format!("webcal://{rest}"),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{FeedNames, webcal};

    #[test]
    fn secret_names_are_keyed_hashes_and_plain_names_are_ids() {
        assert_eq!(FeedNames::by_id().name("alice"), "alice");
        assert_eq!(FeedNames::keyed(Some(String::new())).name("alice"), "alice");
        let a = FeedNames::keyed(Some("k".repeat(32)));
        let b = FeedNames::keyed(Some("j".repeat(32)));
        assert!(a.are_secret());
        assert_eq!(a.name("alice").len(), 32);
        assert_ne!(a.name("alice"), b.name("alice"));
        assert_ne!(a.name("alice"), a.name("bob"));
        assert!(
            !format!("{a:?}").contains("kkkk"),
            "the secret is never printed"
        );
    }

    #[test]
    fn only_web_addresses_become_webcal() {
        assert_eq!(webcal("https://x.test/a.ics"), "webcal://x.test/a.ics");
        assert_eq!(webcal("http://x.test/a.ics"), "webcal://x.test/a.ics");
        assert_eq!(webcal("/a.ics"), "/a.ics");
        assert_eq!(webcal("ftp://x.test/a.ics"), "ftp://x.test/a.ics");
    }
}
