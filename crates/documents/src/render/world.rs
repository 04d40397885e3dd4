//! A minimal typst [`World`]: one generated main source, the fixed template,
//! the fonts embedded in the binary, an optional in-memory attachment, and a
//! fixed date. No file system, no packages, no network, no clock.

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::RenderError;

/// The fonts, embedded: Inter (SIL Open Font License 1.1, see
/// `fonts/LICENSE-Inter.txt`).
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../../fonts/Inter-Regular.otf"),
    include_bytes!("../../fonts/Inter-Italic.otf"),
    include_bytes!("../../fonts/Inter-SemiBold.otf"),
    include_bytes!("../../fonts/Inter-Bold.otf"),
];

/// The template source, compiled into the binary.
const TEMPLATE: &str = include_str!("template.typ");

/// The report template source, compiled into the binary.
const REPORT_TEMPLATE: &str = include_str!("report.typ");

/// What every render shares: parsed once, kept warm.
pub(crate) struct Assets {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    template: Source,
    report: Source,
    main_id: FileId,
    attachment_id: FileId,
}

impl Assets {
    /// Parses the fonts and the template and builds the standard library.
    ///
    /// # Errors
    /// [`RenderError::Setup`] if an embedded font does not parse.
    pub(crate) fn load() -> Result<Self, RenderError> {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        if fonts.len() != FONT_FILES.len() {
            return Err(RenderError::Setup(format!(
                "{} of {} embedded fonts parsed",
                fonts.len(),
                FONT_FILES.len()
            )));
        }
        let book = FontBook::from_fonts(&fonts);
        Ok(Self {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            template: Source::new(file_id("/template.typ")?, TEMPLATE.to_owned()),
            report: Source::new(file_id("/report.typ")?, REPORT_TEMPLATE.to_owned()),
            main_id: file_id("/main.typ")?,
            attachment_id: file_id(super::content::ATTACHMENT_PATH)?,
        })
    }
}

fn file_id(path: &str) -> Result<FileId, RenderError> {
    let vpath = VirtualPath::new(path).map_err(|error| RenderError::Setup(format!("{path}: {error:?}")))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// One render's world.
pub(crate) struct RenderWorld<'a> {
    assets: &'a Assets,
    main: Source,
    attachment: Option<Bytes>,
    today: Option<Datetime>,
}

impl<'a> RenderWorld<'a> {
    /// A world whose main source is `main`, with `attachment` served at the
    /// attachment path and `today` as the date.
    pub(crate) fn new(assets: &'a Assets, main: String, attachment: Option<Vec<u8>>, today: NaiveDate) -> Self {
        Self {
            assets,
            main: Source::new(assets.main_id, main),
            attachment: attachment.map(Bytes::new),
            today: to_datetime(today),
        }
    }
}

/// A typst date from a chrono date.
pub(crate) fn to_datetime(date: NaiveDate) -> Option<Datetime> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    Datetime::from_ymd_hms(date.year(), month, day, 0, 0, 0)
}

impl World for RenderWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.assets.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.assets.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.assets.template.id() {
            Ok(self.assets.template.clone())
        } else if id == self.assets.report.id() {
            Ok(self.assets.report.clone())
        } else {
            Err(FileError::NotFound(id.vpath().get_with_slash().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match &self.attachment {
            Some(bytes) if id == self.assets.attachment_id => Ok(bytes.clone()),
            _ => self
                .source(id)
                .map(|source| Bytes::from_string(source.text().to_owned())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.assets.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
