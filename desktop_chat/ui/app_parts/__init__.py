"""The pieces the app (desktop_chat/app.py) wires into the window: start-up, the demo, kiosk view,
the profile picker, the API status and the data actions. Only app.py imports them."""
