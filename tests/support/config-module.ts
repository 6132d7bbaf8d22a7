// The config module (normally generated from the developer's own nanobot.config.json) for the worker tests:
// tests must not depend on that file; their config comes from the NANOBOT_CONFIG binding.
export default { name: "nanobot.config.json", text: "{}\n", revision: "test" };
