//! The runbook tree as the site's runbook navigation: the folders of `runbooks/`, each
//! folder's page (its `_index.md`, `index.md` or `README.md`, or a page of the folder's
//! name beside it) and children, so that the runbook index lists runbooks by folder and a
//! runbook page shows where it stands (docs/site.md#runbook-navigation).

use crate::model::Runbook;
use std::collections::{BTreeSet, HashMap};

/// The folders and pages of the runbooks, by slug (the root folder is "").
pub struct RunbookTree<'a> {
    pages: HashMap<&'a str, &'a Runbook>,
    /// Every folder below the root that holds a page (at any depth).
    folders: BTreeSet<&'a str>,
    /// Folder ("" for the root) → its children's slugs (pages and folders), in order.
    children: HashMap<&'a str, Vec<&'a str>>,
    /// Every page in the runbook index's order (each folder's page, then the other pages
    /// in it, folder by folder), and each page's place in it: previous and next.
    order: Vec<&'a str>,
    place: HashMap<&'a str, usize>,
}

/// The folder holding `slug` ("" at the root).
fn parent(slug: &str) -> &str {
    slug.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

impl<'a> RunbookTree<'a> {
    pub fn new(runbooks: &'a [Runbook]) -> RunbookTree<'a> {
        let pages: HashMap<&str, &Runbook> =
            runbooks.iter().map(|r| (r.slug.as_str(), r)).collect();
        let mut folders = BTreeSet::new();
        for rb in runbooks {
            let mut folder = parent(&rb.slug);
            while !folder.is_empty() && folders.insert(folder) {
                folder = parent(folder);
            }
        }
        let mut nodes: BTreeSet<&str> = pages.keys().copied().collect();
        nodes.extend(folders.iter().copied());
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for node in nodes.into_iter().filter(|n| !n.is_empty()) {
            children.entry(parent(node)).or_default().push(node);
        }
        let mut tree = RunbookTree {
            pages,
            folders,
            children,
            order: Vec::new(),
            place: HashMap::new(),
        };
        let mut order = Vec::with_capacity(runbooks.len());
        for folder in tree.folders_in_order() {
            if !folder.is_empty() && tree.pages.contains_key(folder) {
                order.push(folder);
            }
            order.extend(
                tree.children(folder)
                    .iter()
                    .filter(|c| !tree.is_folder(c) && tree.pages.contains_key(*c)),
            );
        }
        tree.place = order.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        tree.order = order;
        tree
    }

    /// The folder holding `slug` ("" at the root).
    pub fn folder_of<'s>(&self, slug: &'s str) -> &'s str {
        parent(slug)
    }

    /// The pages before and after `slug` in the runbook index's order.
    pub fn neighbours(&self, slug: &str) -> (Option<&'a str>, Option<&'a str>) {
        let Some(&i) = self.place.get(slug) else {
            return (None, None);
        };
        let previous = i.checked_sub(1).and_then(|p| self.order.get(p)).copied();
        (previous, self.order.get(i + 1).copied())
    }

    /// Whether `slug` is a folder (it may also have a page).
    pub fn is_folder(&self, slug: &str) -> bool {
        self.folders.contains(slug)
    }

    /// The page at `slug`, if there is one (a folder may have none).
    pub fn page(&self, slug: &str) -> Option<&'a Runbook> {
        self.pages.get(slug).copied()
    }

    /// What a folder or page is called: its page's title, else its last segment.
    pub fn title<'s>(&self, slug: &'s str) -> &'s str
    where
        'a: 's,
    {
        match self.page(slug) {
            Some(rb) => rb.title.as_str(),
            None => slug.rsplit('/').next().unwrap_or(slug),
        }
    }

    /// The pages and folders directly in `folder` ("" for the root), in name order.
    pub fn children(&self, folder: &str) -> &[&'a str] {
        self.children.get(folder).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The folders above `slug`, outermost first (`a`, `a/b` for `a/b/c`).
    pub fn ancestors<'s>(&self, slug: &'s str) -> Vec<&'s str> {
        let mut out = Vec::new();
        let mut folder = parent(slug);
        while !folder.is_empty() {
            out.push(folder);
            folder = parent(folder);
        }
        out.reverse();
        out
    }

    /// The root ("") and then every folder, each before the folders inside it.
    pub fn folders_in_order(&self) -> Vec<&'a str> {
        let mut folders: Vec<&str> = self.folders.iter().copied().collect();
        folders.sort_by(|a, b| a.split('/').cmp(b.split('/')));
        std::iter::once("").chain(folders).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Sources};

    fn page(slug: &str, title: &str) -> Runbook {
        Runbook {
            slug: slug.into(),
            path: format!("{slug}.md"),
            file: FileId(0),
            title: title.into(),
            owner: None,
            last_reviewed: None,
            last_reviewed_loc: Sources::file_start(FileId(0)),
            review_in: None,
            alerts: Vec::new(),
            body_start: 0,
            body_line: 1,
            loc: Sources::file_start(FileId(0)),
        }
    }

    /// A folder with a page, a folder without one inside it, and pages at the root.
    fn pages() -> [Runbook; 5] {
        [
            page("db", "Databases"),
            page("db/replica-lag", "Replica lag"),
            page("db-backup", "Backups"),
            page("db/pg/vacuum", "Vacuum"),
            page("site-down", "Site down"),
        ]
    }

    #[test]
    fn folders_nest_in_depth_first_order_with_their_pages_and_children() {
        let runbooks = pages();
        let tree = RunbookTree::new(&runbooks);
        assert_eq!(tree.folders_in_order(), ["", "db", "db/pg"]);
        assert_eq!(tree.children(""), ["db", "db-backup", "site-down"]);
        assert_eq!(tree.children("db"), ["db/pg", "db/replica-lag"]);
        assert_eq!(tree.title("db"), "Databases");
        assert_eq!(tree.title("db/pg"), "pg");
        assert!(tree.page("db/pg").is_none());
        assert_eq!(tree.ancestors("db/pg/vacuum"), ["db", "db/pg"]);
        assert!(tree.ancestors("site-down").is_empty());
    }

    #[test]
    fn previous_and_next_follow_the_index_order_folder_by_folder() {
        let runbooks = pages();
        let tree = RunbookTree::new(&runbooks);
        // The root's pages, then db's page and its pages, then db/pg's.
        assert_eq!(tree.neighbours("db-backup"), (None, Some("site-down")));
        assert_eq!(
            tree.neighbours("site-down"),
            (Some("db-backup"), Some("db"))
        );
        assert_eq!(
            tree.neighbours("db"),
            (Some("site-down"), Some("db/replica-lag"))
        );
        assert_eq!(
            tree.neighbours("db/pg/vacuum"),
            (Some("db/replica-lag"), None)
        );
        assert_eq!(tree.neighbours("db/pg"), (None, None));
        assert_eq!(tree.folder_of("db/pg/vacuum"), "db/pg");
    }
}
