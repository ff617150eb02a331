"""View models: a view's URL state → everything the page, its slide and its downloads show (no Streamlit)."""
