"""Files out of the dashboard: CSV and Excel, chart pictures, PowerPoint and PDF (no Streamlit)."""
