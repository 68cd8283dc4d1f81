//! Registers a person from a face image, then lists the workspace's persons and the
//! new person's look-alikes.
//!
//! ```sh
//! eval "$(media mock serve)" &
//! NCP_MI_WORKSPACE=my-workspace cargo run -p ncp-mi --example persons -- face.jpg "Jane Roe"
//! ```
//!
//! Without a file argument a small placeholder image is written to the temp dir (the mock
//! does not look at pixels; the real service wants a face of at least 256 px).

use std::io::Write as _;
use std::path::PathBuf;

use futures::TryStreamExt as _;
use ncp_mi::{
    Client, CreatePersonParams, Error, ListPersonsParams, SimilarityParams, ThumbnailRef,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let Some(workspace) = client.default_workspace() else {
        return Err(Error::InvalidInput("set NCP_MI_WORKSPACE".into()).into());
    };
    let mut args = std::env::args().skip(1);
    let face = if let Some(path) = args.next() {
        PathBuf::from(path)
    } else {
        let path = std::env::temp_dir().join("ncp-mi-example-face.jpg");
        std::fs::write(&path, [0xFF, 0xD8, 0xFF, 0xE0])?;
        path
    };
    let name = args.next();
    let mut out = std::io::stdout().lock();

    // Presigned URL, unsigned PUT of the file, confirmation: one call.
    let key = client
        .persons()
        .upload_thumbnail(workspace, &face, None)
        .await?;
    // Someone with this face already? Register only when nobody matches.
    let matches = client
        .persons()
        .recommend_by_thumbnail(workspace, &key, &SimilarityParams::new())
        .await?;
    writeln!(
        out,
        "{} existing look-alike(s)",
        matches.similar_persons.len()
    )?;

    let mut params = CreatePersonParams::new([ThumbnailRef::primary(&key)]);
    if let Some(name) = name {
        params = params.name(name);
    }
    let person = client.persons().create(workspace, &params).await?;
    let id = person.person_id().ok_or("the service sent no person id")?;
    writeln!(out, "registered person {id} ({:?})", person.name)?;

    let mut persons = client
        .persons()
        .list_all(workspace, &ListPersonsParams::new(1), 1000);
    while let Some(person) = persons.try_next().await? {
        writeln!(
            out,
            "  {:>6}  {:<20}  {} face image(s)",
            person.person_id().unwrap_or_default(),
            person.name.as_deref().unwrap_or("(anonymous)"),
            person.thumbnails.len()
        )?;
    }
    let similar = client
        .persons()
        .similar(workspace, id, &SimilarityParams::new().person_count(3))
        .await?;
    writeln!(out, "look-alikes of {id}: {:?}", similar.similar_persons)?;
    Ok(())
}
