"""HTTP pieces served beside the Streamlit app (see ``serve.py``)."""
