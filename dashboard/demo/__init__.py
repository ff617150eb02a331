"""Generated demo data sets, labelled as demo wherever they go."""
