"""Reading and writing study files: safe YAML with line numbers, the loaders, scenario links."""
