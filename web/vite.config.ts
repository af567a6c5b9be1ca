import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Two pages: the app itself and the office preview used for visual checks.
export default defineConfig({
  plugins: [react()],
  build: {
    rolldownOptions: {
      input: {
        main: "index.html",
        preview: "preview.html",
      },
    },
  },
  test: {
    environment: "node",
  },
});
