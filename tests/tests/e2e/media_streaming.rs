//! A 64 MiB media body goes from the emulator through the client with flat memory: neither
//! side holds it whole. A counting global allocator measures the peak heap of the test's own
//! thread, where the emulator and the client both run (the test's runtime is single-threaded):
//! the other tests of this binary, running on their own threads, are not counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};

use futures_util::TryStreamExt;
use idv_api::MediaContentExt;
use idv_api::idv_signing::{Signer, SigningKey};
use idv_emulator::{Emulator, Media};
use serde_json::json;

struct Counting;

/// The counted thread's live heap, in bytes. Signed: a block allocated before counting began
/// may be freed after.
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

thread_local! {
    /// Whether this thread's allocations are counted: only the streaming test's.
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    // `try_with`: a thread being torn down may still allocate.
    COUNTED.try_with(Cell::get).unwrap_or(false)
}

fn grew(by: usize) {
    if counted() {
        let by = by as isize;
        let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrank(by: usize) {
    if counted() {
        CURRENT.fetch_sub(by as isize, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const LEN: u64 = 64 << 20;
/// Far below the body's size: what buffers in flight may add up to.
const BUDGET: usize = 8 << 20;

// Single-threaded (tokio's default for tests, said here because the measurement depends on
// it): the emulator's tasks and the client's run on this thread, the only one counted.
#[tokio::test(flavor = "current_thread")]
async fn a_64_mib_media_body_streams_with_flat_memory() {
    COUNTED.set(true);
    let emulator = Emulator::start().await.unwrap();
    let key = SigningKey::from_pem_file(emulator.key_path()).unwrap();
    let signer = Signer::new(emulator.sdk_id(), key, &emulator.base_url()).unwrap();
    let client = idv_api::Client::builder(signer).build().unwrap();
    let session = emulator.insert_session(json!({"state": "COMPLETED"}));
    let content_type = "application/octet-stream".to_owned();
    let media = emulator
        .add_media(
            &session,
            Media::Generated {
                content_type,
                len: LEN,
            },
        )
        .unwrap();

    // The pattern the emulator sends, to compare each chunk with.
    let pattern: Vec<u8> = (0..(2 << 20) + 251).map(|i| (i % 251) as u8).collect();
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);

    let response = client
        .get_media_content()
        .session_id(&session)
        .media_id(&media)
        .send()
        .await
        .unwrap();
    let download = response.into_media().expect("200 with content");
    assert_eq!(
        download.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(download.content_length, Some(LEN));
    let mut stream = download.body;
    let (mut received, mut chunks) = (0u64, 0u32);
    while let Some(chunk) = stream.try_next().await.unwrap() {
        let start = (received % 251) as usize;
        assert!(chunk.len() <= 2 << 20, "a chunk of {} bytes", chunk.len());
        assert!(
            chunk[..] == pattern[start..start + chunk.len()],
            "wrong bytes at offset {received}"
        );
        received += chunk.len() as u64;
        chunks += 1;
    }
    let peak = usize::try_from(PEAK.load(Ordering::Relaxed) - baseline).unwrap();
    COUNTED.set(false);

    assert_eq!(received, LEN);
    assert!(chunks > 64, "it came in pieces: {chunks}");
    assert!(
        peak < BUDGET,
        "the heap grew by {peak} bytes while 64 MiB streamed through"
    );
    eprintln!(
        "64 MiB in {chunks} chunks; the heap grew by at most {} KiB",
        peak / 1024
    );
}
