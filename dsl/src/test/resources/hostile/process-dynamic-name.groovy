// expect: computed at run time
def verb = 'exe' + 'cute'
'touch CANARY'."$verb"()
