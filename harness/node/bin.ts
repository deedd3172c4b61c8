import { main } from "./cli.js";

// The process entry: run, flush, exit with the command's code (servers and watchers may still be open).
main(process.argv.slice(2)).then((code) => process.exit(code));
