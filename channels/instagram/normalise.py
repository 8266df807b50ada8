"""An Instagram item as an inbox message's text: text as it is; photos, voice notes, shared
posts and story replies described in the office's language (media fetched by the source)."""

from __future__ import annotations

from instagrapi.types import DirectMessage

from triage.texts.catalog import text as catalog_text


def describe(item: DirectMessage, lang: str) -> tuple[str, str | None, str]:
    """(text, url of a file to keep or None, the file's kind: photo, video, audio or "")."""
    say = lambda key: catalog_text(key, lang)  # type: ignore[arg-type]  # noqa: E731
    kind = item.item_type or ""
    body = (item.text or "").strip()
    if kind == "media" and item.media is not None:
        is_video = getattr(item.media, "media_type", 1) == 2
        url = item.media.video_url if is_video else item.media.thumbnail_url
        label = say("media.video" if is_video else "media.photo")
        return (
            _join(f"[{label}]", body),
            str(url) if url else None,
            "video" if is_video else "photo",
        )
    if kind == "voice_media" and item.media is not None:
        url = getattr(item.media, "audio_url", None)
        return _join(f"[{say('media.voice')}]", body), str(url) if url else None, "audio"
    if kind in ("xma_media_share", "media_share", "clip", "xma_clip", "felix_share"):
        link = ""
        if item.xma_share is not None and item.xma_share.video_url:
            link = str(item.xma_share.video_url)
        return _join(f"[{say('ig.shared_post')}] {link}".strip(), body), None, ""
    if kind in ("reel_share", "story_share", "xma_story_share"):
        reply = ""
        if isinstance(item.reel_share, dict):
            reply = str(item.reel_share.get("text") or "")
        return _join(f"[{say('ig.story_reply')}]", reply or body), None, ""
    if kind == "like":
        return "❤️", None, ""
    if kind == "link" and item.link is not None:
        return str(getattr(item.link, "text", "") or body), None, ""
    if body:
        return body, None, ""
    return f"[{say('ig.unsupported')}: {kind or '?'}]", None, ""


def _join(label: str, body: str) -> str:
    return f"{label} {body}".strip() if body else label
