"""``convert_html`` and its modules as of commit 418a1e5 (the code before the layout,
text and clean-up shortcuts): the oracle ``test_convert_oracle.py`` compares against."""
