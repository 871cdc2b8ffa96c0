"""The Textual review app. Imported only by `drill` and `drill review` on a terminal."""
