# ruff: noqa: E501 - a paragraph is one line: a line break inside one shows as a break.
"""What the demo's events and discussion boards say (evaluation/demo/events.py and boards.py build
them). Posts hold no contact details (a youth program's board holds those back for a coordinator)."""

# Events: (key, title, kind, description, days from today, hour, minutes, place, link, capacity,
# public, programs by key ("youth", "eastside", "riverside")).
EVENTS = [
    (
        "summer",
        "Summer celebration",
        "celebration",
        "A picnic to celebrate a year of mentoring: mentors, mentees and families welcome. Games, "
        "certificates for pairs who finished their year, and far too much cake.",
        -75,
        14,
        180,
        "Castle Park, by the bandstand (the hall next door if it rains)",
        "",
        None,
        False,
        ("youth", "eastside"),
    ),
    (
        "careers",
        "Careers in tech: networking evening",
        "meetup",
        "Meet people who work in software, data, design and IT support, in small groups that move "
        "round every fifteen minutes. Open to anyone curious about a job in tech, whatever your "
        "background. Drinks and snacks provided.",
        -40,
        18,
        120,
        "Eastgate Library, main hall",
        "",
        40,
        True,
        ("eastside", "riverside"),
    ),
    (
        "circles",
        "Peer circles get-together",
        "meetup",
        "All the Riverside circles in one room for the first time: what each circle has been "
        "working on, and a chance to meet the people in the other circles.",
        -18,
        18,
        90,
        "Riverside Community Centre, main hall",
        "",
        None,
        False,
        ("riverside",),
    ),
    (
        "showcase",
        "Speed networking: meet the makers",
        "meetup",
        "Twelve places to sit down with people who make things for a living (a games programmer, "
        "an app designer, a web developer and more) for ten minutes each. Bring your questions. "
        "Places are limited: if it is full, join the wait-list and we will email you if one frees up.",
        9,
        17,
        120,
        "Eastside Makerspace, Unit 4, Mill Lane",
        "",
        12,
        True,
        ("eastside", "youth"),
    ),
    (
        "social",
        "Riverside winter social",
        "celebration",
        "An informal evening for everyone in a circle: food from the Boatshed Café, a quiz, and "
        "plans for the new year. Bring a friend from your circle.",
        20,
        18,
        150,
        "The Boatshed Café",
        "",
        None,
        False,
        ("riverside",),
    ),
    (
        "cv",
        "Online workshop: your CV and personal statement",
        "workshop",
        "A practical hour on video: what employers and colleges look for, with examples of good "
        "CVs and personal statements, and time to start yours with help.",
        27,
        18,
        60,
        "",
        "https://meet.example.org/cv-workshop",
        30,
        False,
        ("youth", "riverside"),
    ),
]
EVENT_FEEDBACK = [
    (5, "Loved it, I met someone who does the job I want."),
    (5, "Brilliant evening, well organised."),
    (4, "Good, but it was loud in the hall."),
    (4, ""),
    (5, ""),
    (3, "A bit long, but I'm glad I came."),
    (4, "More time with each person next time please."),
]

# Boards: (board, title, author, pinned, [(author, body), ...]); the first post opens the topic.
# Authors: "coordinator" (the program's lead), "mentor:N" / "mentee:N" (the Nth mentor or mentee
# of that board's people), "leader" (the group's first leader), "member:N" (its Nth member).
BOARD_TOPICS = [
    (
        "youth",
        "Welcome to the program board",
        "coordinator",
        True,
        [
            (
                "coordinator",
                'Welcome! This board is for everyone in City Youth Mentoring: mentors and mentees. Ask questions, share ideas for things to do together, and tell us about events you have heard of.\n\nA few rules: be kind, keep it about the program, and don\'t post phone numbers, addresses or social media names (the board holds those back anyway). If something worries you, use "Report" on the post or message your coordinator.',
            ),
        ],
    ),
    (
        "youth",
        "Meeting places that aren't the library?",
        "mentor:1",
        False,
        [
            (
                "mentor:1",
                "We've done the Central Library a lot. Where else do people meet? Public places only, of course.",
            ),
            (
                "mentor:2",
                "The museum is free and has a café. My mentee liked the dinosaur gallery more than I expected.",
            ),
            ("mentee:1", "The climbing wall on Harbour Road has a café with tables, it's quiet on weekdays"),
            (
                "coordinator",
                "Good ideas. The art gallery does free drop-in workshops on Saturday mornings too, and we can pay for a small activity now and then: just ask first.",
            ),
        ],
    ),
    (
        "youth",
        "Apprenticeship or college?",
        "mentee:2",
        False,
        [
            (
                "mentee:2",
                "I'm in year 11 and can't decide between college and an apprenticeship. Did anyone here do an apprenticeship?",
            ),
            (
                "mentor:3",
                "I did an engineering apprenticeship at 16. Best decision I made: paid to learn, and a qualification at the end. Talk to your mentor about what you like doing day to day.",
            ),
            ("mentee:3", "my brother is doing one in plumbing and he loves it"),
        ],
    ),
    (
        "eastside",
        "Welcome to Eastside Girls Who Code",
        "coordinator",
        True,
        [
            (
                "coordinator",
                "Welcome to the board! This is the place for all three groups to share what you're building, ask for help when you're stuck, and find out about events.\n\nBe kind, no question is silly, and keep personal details (phone numbers, addresses, social media) off the board. Your group also has its own board for group things.",
            ),
        ],
    ),
    (
        "eastside",
        "What are you building for the showcase?",
        "mentee:1",
        False,
        [
            (
                "mentee:1",
                "Our group is making a website about the library garden. What's everyone else making?",
            ),
            ("mentee:8", "A platformer game where you collect books!! it's hard but fun"),
            ("mentee:14", "An app for the community garden to say which beds need watering"),
            (
                "mentor:3",
                "These all sound brilliant. Remember the showcase is about what you learned too, so show us something that went wrong and how you fixed it.",
            ),
            ("mentee:2", "ours went wrong a LOT"),
        ],
    ),
    (
        "eastside",
        "Stuck: my CSS isn't doing anything",
        "mentee:5",
        False,
        [
            ("mentee:5", "I changed the colour in my CSS file and nothing happens on the page. Help?"),
            (
                "mentor:1",
                "Two things to check: is the link tag in the head of your HTML pointing at the right file name? And try a hard refresh, the browser sometimes keeps the old file.",
            ),
            ("mentee:5", "it was the file name!! style.css not styles.css. thank you"),
        ],
    ),
    (
        "group",
        "Photos for the group website",
        "leader",
        False,
        [
            (
                "leader",
                "For the group site: please bring two or three photos you took yourself. No faces of anyone outside the group.",
            ),
            ("member:2", "Can I use drawings instead? I drew the garden last week"),
            ("leader", "Drawings are great, even better."),
            ("member:4", "I'll bring the ones from the pond"),
        ],
    ),
    (
        "group",
        "Slides from the accessibility session",
        "leader",
        False,
        [
            (
                "leader",
                "Here's a summary of Tuesday: every picture needs a description (alt text), text needs enough contrast, and links should say where they go (not 'click here'). Try the contrast checker on your own site this week.",
            ),
            ("member:1", "mine failed the contrast check lol. fixed it now"),
        ],
    ),
    (
        "riverside",
        "Welcome to the circles' board",
        "coordinator",
        True,
        [
            (
                "coordinator",
                "Welcome to Riverside Peer Circles. This board is shared by all the circles: post job and course leads, ask for advice, and celebrate each other's wins. Please keep personal contact details off the board and be kind.",
            ),
        ],
    ),
    (
        "riverside",
        "Interview next week, any tips?",
        "mentee:4",
        False,
        [
            (
                "mentee:4",
                "I've got an interview for a trainee role at a housing association next Thursday. First proper interview. Any tips?",
            ),
            (
                "mentee:1",
                "Look up their values on their website and think of a time you did something like that. They always ask.",
            ),
            (
                "mentee:9",
                "Have a question ready for them at the end. I asked what a good first month looks like and they liked it.",
            ),
            (
                "mentor:1",
                "Practise out loud, not just in your head. Happy to do a practice run after the circle on Monday.",
            ),
            ("mentee:4", "Thanks all, I'll take you up on that."),
            ("mentee:12", "Good luck!!"),
        ],
    ),
    (
        "riverside",
        "Free courses worth doing",
        "mentee:7",
        False,
        [
            (
                "mentee:7",
                "The college has free evening courses for under-25s this term: bookkeeping, first aid and an intro to coding. I'm doing first aid.",
            ),
            ("mentee:2", "Signed up for bookkeeping, thanks for posting"),
        ],
    ),
]
