//! [`FileMailer`] writes parseable `.eml` files, one per message.

use std::fs;
use std::path::Path;

use fakturo_domain::messaging::ports::Mailer;
use fakturo_email::FileMailer;

use crate::support::{FROM_ADDRESS, assert_is_the_sample, sample_message};

fn eml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    files
}

#[tokio::test]
async fn writes_the_message_as_an_eml_file_in_a_new_folder() {
    let temp = tempfile::tempdir().unwrap();
    let outbox = temp.path().join("data").join("outbox");
    let mailer = FileMailer::new(outbox.clone()).with_from_address(FROM_ADDRESS).unwrap();
    let message_id = "<0f1e2d3c4b5a@fakturo.example>";

    mailer.send(&sample_message(message_id)).await.unwrap();

    let files = eml_files(&outbox);
    assert_eq!(files, vec![mailer.path_for(message_id)]);
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let bytes = fs::read(&files[0]).unwrap();
    let mail = mailparse::parse_mail(&bytes).unwrap();
    assert_is_the_sample(&mail, message_id);
}

#[tokio::test]
async fn sending_the_same_message_twice_leaves_one_file() {
    let temp = tempfile::tempdir().unwrap();
    let mailer = FileMailer::new(temp.path().to_path_buf())
        .with_from_address(FROM_ADDRESS)
        .unwrap();

    mailer.send(&sample_message("<same@fakturo.example>")).await.unwrap();
    mailer.send(&sample_message("<same@fakturo.example>")).await.unwrap();
    assert_eq!(
        eml_files(temp.path()).len(),
        1,
        "no temporary file is left behind either"
    );

    mailer.send(&sample_message("<other@fakturo.example>")).await.unwrap();
    assert_eq!(eml_files(temp.path()).len(), 2);
}

#[tokio::test]
async fn an_unwritable_folder_is_a_transient_failure() {
    let temp = tempfile::tempdir().unwrap();
    let blocker = temp.path().join("not-a-folder");
    fs::write(&blocker, b"a file where the outbox should be").unwrap();
    let mailer = FileMailer::new(blocker);

    let error = mailer.send(&sample_message("<x@fakturo.example>")).await.unwrap_err();

    assert!(
        matches!(error, fakturo_domain::messaging::ports::MailError::Transient(_)),
        "{error:?}"
    );
    assert!(!error.to_string().contains("jane@client.example"), "{error}");
}
