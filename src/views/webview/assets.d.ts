// Stylesheets are bundled by esbuild (emitted as <entry>.css next to <entry>.js), not loaded by script.
declare module '*.css';
