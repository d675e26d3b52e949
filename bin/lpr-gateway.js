#!/usr/bin/env node
// Installed command: runs the built gateway (npm run build, or npm start, builds dist/).
import '../dist/main.js';
