// Where the config lives when no --config is given (its own module: the CLI checks it without loading the schema).
export const DEFAULT_CONFIG_PATH = '/etc/synguard/config.yaml';
