"""Read-only queries: typed functions returning pandas DataFrames. No Streamlit here."""
