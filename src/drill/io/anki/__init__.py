"""io/anki"""
