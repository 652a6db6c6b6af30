"""Reading and validating articles and topics, and turning bodies into HTML."""
