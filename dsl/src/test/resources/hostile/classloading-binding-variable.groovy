// expect: 'binding' is not allowed
binding.setVariable('job', { String n -> 'touch CANARY'.execute() })
