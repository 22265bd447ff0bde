// expect: calling 'еxecute' on a String is not allowed || 'еxecute' cannot be called on text
'touch CANARY'.еxecute()
