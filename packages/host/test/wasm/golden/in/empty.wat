;; A module without functions, memory or globals: every injected section is created.
(module)
