// The version, in a module of its own: `synguard --version` prints it without loading commander or any command.
export const VERSION = '0.1.0';
