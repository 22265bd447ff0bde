// expect: 'execute' is not allowed
def c = { cmd -> cmd.execute() }
c('touch CANARY')
