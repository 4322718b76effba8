"""Demo content of the partnerships app: partnerships.yaml (English) and fr.po (French)."""
