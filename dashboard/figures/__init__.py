"""Figure builders: a DataFrame in, a Plotly figure out. They never query the database."""
