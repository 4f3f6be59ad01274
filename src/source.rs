//! Loaded source files and locations inside them: every finding points at a file, a
//! line and a column, and the human printer shows the line itself.

use std::path::PathBuf;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A place in a source file: 1-based line and column (columns count characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub column: u32,
}

/// One file read from the data repository.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the repository root, with `/` separators (what findings print).
    pub path: String,
    /// Absolute path on disk.
    pub disk_path: PathBuf,
    pub text: String,
    /// Added to every line number a YAML parser reports (front matter starts below `---`).
    pub line_offset: u32,
}

impl SourceFile {
    /// The text of 1-based line `line`, without its line end.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        self.text
            .lines()
            .nth(line.checked_sub(1)? as usize)
            .map(|l| l.trim_end_matches('\r'))
    }

    /// Line and column (1-based, in characters) of a byte offset.
    pub fn line_col(&self, byte: usize) -> (u32, u32) {
        let byte = byte.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, byte)];
        let line = before.matches('\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = before[line_start..].chars().count() as u32 + 1;
        (line, column)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every file the loader read, in the order it read them.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// Shared, so that a copy of the data (a trade tried by `leave-conflict`, a version
    /// compared by `rota diff`) does not copy every file's text.
    files: std::sync::Arc<Vec<SourceFile>>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        std::sync::Arc::make_mut(&mut self.files).push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// How many files there are (the next file added gets this number as its id).
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// A location at the start of a file (for findings about a whole file).
    pub fn file_start(id: FileId) -> Loc {
        Loc {
            file: id,
            line: 1,
            column: 1,
        }
    }
}

impl Sources {
    /// Sets the line of the file that a text's first line is (front matter starts on 2).
    pub fn set_line_offset(&mut self, id: FileId, line_offset: u32) {
        std::sync::Arc::make_mut(&mut self.files)[id.0 as usize].line_offset = line_offset;
    }
}
