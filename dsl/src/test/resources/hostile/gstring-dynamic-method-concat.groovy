// expect: computed at run time
'touch CANARY'."${'ex' + 'ecute'}"()
