"""io/markdown"""
