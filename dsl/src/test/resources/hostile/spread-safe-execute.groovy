// expect: 'execute' is not allowed
def cmd = 'touch CANARY'
cmd?.execute()
