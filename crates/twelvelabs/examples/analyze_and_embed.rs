//! Streams a Pegasus analysis, embeds a query with Marengo, and asks Jockey
//! about a knowledge store. Works against `media mock serve` (its seeded
//! asset) or the real API:
//!
//! ```sh
//! TWELVE_LABS_API_KEY=... cargo run -p twelvelabs --example analyze_and_embed -- <ASSET_ID>
//! ```

use std::io::Write as _;

use futures::TryStreamExt as _;
use twelvelabs::{
    AnalyzeRequest, AnalyzeStreamEvent, Client, CreateEmbeddingsRequest,
    CreateKnowledgeItemRequest, CreateKnowledgeStoreRequest, CreateResponseRequest, EmbeddingModel,
    PollOptions, VideoContext,
};

#[tokio::main]
async fn main() -> twelvelabs::Result<()> {
    let asset_id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "6298d673f1090f1100476d4c".to_owned());
    let client = Client::from_env()?;

    // The answer, printed as it is generated.
    let request = AnalyzeRequest::video(VideoContext::AssetId(asset_id.clone()), "Summarize it");
    let mut events = client.analyze().stream(&request).await?;
    let mut stdout = std::io::stdout();
    while let Some(event) = events.try_next().await? {
        if let AnalyzeStreamEvent::TextGeneration { text } = event {
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
    }
    writeln!(stdout)?;

    // A text query embedding.
    let query = CreateEmbeddingsRequest::text(EmbeddingModel::Marengo30, "a header goal");
    let embedded = client.embed_v2().create(&query).await?;
    let dimensions = embedded.data.first().map_or(0, |d| d.embedding.len());
    writeln!(stdout, "query embedding: {dimensions} dimensions")?;

    // A knowledge store holding the asset, and a question about it.
    let store = client
        .knowledge_stores()
        .create(&CreateKnowledgeStoreRequest::new("example"))
        .await?;
    let item = client
        .knowledge_stores()
        .create_item(&store.id, &CreateKnowledgeItemRequest::new(&asset_id))
        .await?;
    client
        .knowledge_stores()
        .wait_for_item(&store.id, &item.id, &PollOptions::default(), |_| {})
        .await?;
    let answer = client
        .responses()
        .create(&CreateResponseRequest::new(
            &store.id,
            "What happens in it?",
        ))
        .await?;
    writeln!(stdout, "jockey: {}", answer.output_text())?;
    Ok(())
}
