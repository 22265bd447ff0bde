// expect: calling 'еxecute' on text is not allowed || 'еxecute' cannot be called on text
'touch CANARY'.еxecute()
