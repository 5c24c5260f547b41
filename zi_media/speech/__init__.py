"""What is said: the engine protocol and its two engines (faster-whisper, openai-whisper), the
offline models, hallucination guards, the transcript cache and transcript files."""
