# ruff: noqa: E501 - a paragraph is one line: a line break inside one shows as a break.
"""What the demo's group and peer-circle programs say (evaluation/demo/community.py builds them):
the programs, their people's names, the groups and circles, what their sessions did, their shared
goals, a group's conversation and the coordinators' thank-you notes. Events and the discussion
boards are in community_posts.py. Nothing here holds contact details: the boards and messages of a
youth program hold those back, and the demo should show ordinary posts.
"""

# --- The group program: girls aged 12 to 18 learning to code in three groups -------------------

EASTSIDE_NAME = "Eastside Girls Who Code"
EASTSIDE_DESCRIPTION = (
    "Coding clubs for girls aged 12 to 18 on the east side of the city. Groups of up to eight meet "
    "every two weeks after school with one or two women who work in tech, and build something real "
    "together: a website, a game, an app. No experience needed; laptops are provided."
)
# (name, latitude, longitude): the areas its members choose from.
EASTSIDE_AREAS = [("Eastgate", 51.462, -2.555), ("Old Town", 51.455, -2.592), ("Northside", 51.482, -2.590)]
EASTSIDE_MENTEES = [
    "Aaliyah Mensah", "Bella Kowalski", "Chioma Obi", "Darcy Flynn", "Esme Carter", "Farah Haddad",
    "Georgia Lane", "Hana Yusuf", "Isla Brennan", "Jasmine Osei", "Keira Walsh", "Layla Rahman",
    "Maisie Cole", "Nia Roberts", "Olivia Nowak", "Poppy Hughes", "Ruby Chen", "Sana Iqbal",
    "Tia Campbell", "Uma Sharma", "Violet Price", "Wren Doyle", "Yasmin Farah", "Zoe Turner",
]  # fmt: skip
EASTSIDE_MENTORS = [
    ("Helen Okoro", "Front-end developer at a city software studio."),
    ("Marta Silva", "Data analyst for the regional health service."),
    ("Leanne Price", "Games programmer; taught herself to code at fifteen."),
    ("Sunita Patel", "Engineering manager at a payments company."),
    ("Claire Dubois", "Software tester and accessibility lead."),
]
EASTSIDE_ALUMNAE = ["Kemi Adeyemi", "Lauren Shaw", "Mira Kapoor"]
EASTSIDE_INTERESTS = ["Gaming", "Art", "Music", "Technology", "Films", "Photography", "Fashion", "Dance"]
EASTSIDE_GOALS = [
    "Coding", "Confidence", "Art and design", "Engineering", "University applications",
    "Public speaking", "Maths", "Science",
]  # fmt: skip

# (name, focus, usually meets, place, weekday (Monday 0), hour, started days ago, leaders, mentees)
EASTSIDE_GROUPS = [
    (
        "Tuesday Web Makers",
        "Building websites with HTML and CSS, then a little JavaScript: each member makes a site "
        "about something she cares about, and the group makes one together for the showcase.",
        "Every other Tuesday, 4-5.30pm, Eastgate Library",
        "Eastgate Library, community room",
        1,
        16,
        200,
        2,
        7,
    ),
    (
        "Thursday Game Builders",
        "Games in Python: from a guessing game to a platformer with pygame. Good for anyone who "
        "likes puzzles; we pair-program a lot.",
        "Every other Thursday, 4.15-5.45pm, St Anne's Academy",
        "St Anne's Academy, computer room IT2",
        3,
        16,
        160,
        1,
        6,
    ),
    (
        "Saturday App Lab",
        "Phone apps with MIT App Inventor, then a first look at how real apps are designed and "
        "tested. The group is planning an app for the community garden.",
        "Every other Saturday, 10-11.30am, Eastside Makerspace",
        "Eastside Makerspace, Unit 4, Mill Lane",
        5,
        10,
        125,
        2,
        5,
    ),
]
PILOT_GROUP = (
    "Pilot cohort",
    "The program's first group: twelve sessions on websites and Python, ending in the first showcase.",
    "Every other Wednesday, 4-5.30pm, Eastgate Library",
)

# What each group's sessions did, in order: (agenda, how it went). The groups follow one path at
# their own pace; a session beyond the list repeats its last steps as "project time".
SESSION_PATH = [
    (
        "Welcome: who we are, the group's rules, and what we want to build by the summer.",
        "Everyone came. We agreed the group rules (phones away for the first hour, no question is silly) and wrote down what each of us wants to make.",
    ),
    (
        "How the web works; your first HTML page.",
        "Everyone has a page with a heading, a paragraph and a picture. A few were surprised how little it takes.",
    ),
    (
        "Lists, links and a second page.",
        "Linked pages worked for all; two finished early and helped the others, which was lovely to see.",
    ),
    (
        "CSS: colours, fonts and boxes.",
        "Lots of colour choices argued over. The box model was hard going; we will come back to it.",
    ),
    (
        "Layout with flexbox.",
        "Flexbox clicked after the Froggy game. Two members were missing (school trip); they have the notes.",
    ),
    (
        "Planning a project: sketches on paper first.",
        "Each member sketched her project. Topics: a football club page, a recipe site, a page about a favourite band, a guide to the local park.",
    ),
    (
        "Project time: building the first page of your project.",
        "Good focus today. We talked about using our own photos or ones we have permission to use.",
    ),
    (
        "Visit from a guest: a designer on how she became one.",
        "The guest talk was a hit; lots of questions about college courses and apprenticeships.",
    ),
    (
        "A first look at JavaScript: a button that does something.",
        "Buttons that change colour and count clicks. Some found it fiddly; we slowed down and did it together.",
    ),
    (
        "Project time, and showing each other what we have so far.",
        "Everyone showed her project to the group. Kind, useful feedback all round.",
    ),
    (
        "Making it work on a phone.",
        "We tested the sites on our phones and fixed what broke. Media queries made sense with real examples.",
    ),
    (
        "Accessibility: pictures with descriptions, colours everyone can read.",
        "We checked our colours for contrast and added descriptions to pictures. A good discussion about who uses the web.",
    ),
    ("Project time: finishing touches.", "Quiet, productive session. Two projects are nearly ready to show."),
    ("Rehearsal for the showcase.", "Each member practised a two-minute demo. Nerves, but everyone did it."),
]
UPCOMING_AGENDAS = [
    "Project time, and choosing what the group shows at the showcase.",
    "Putting a site online for free, and keeping it safe.",
    "Guest session: a software engineer answers your questions about jobs in tech.",
]
SESSION_FEEDBACK = [
    "Really fun today.", "I finally understood it.", "Could we have more time for projects?",
    "Liked working in pairs.", "", "", "", "The guest was great.", "A bit fast for me but I got there.",
]  # fmt: skip
GROUP_GOALS = [
    ("Everyone has a page of her own online", "in_progress"),
    ("Show a finished project at the summer showcase", "not_started"),
    ("Finish the group rules and the project sketches", "done"),
    ("Try a coding competition together", "not_started"),
]
GROUP_TALK = [
    (
        "mentor",
        "Hi all! Next session we start on the showcase projects. Have a think about what you'd like to show.",
    ),
    ("mentee", "Can we do one together as a group? Like a site about the group"),
    ("mentee", "yes!! with a page each"),
    (
        "mentor",
        "Love that idea. Bring two or three photos you took yourselves (no faces of people outside the group please).",
    ),
    ("mentee", "I'll bring the ones from the library garden"),
    ("mentor", "Perfect. See you Tuesday, 4pm as usual."),
]

# --- The peer-circle program: young adults supporting each other -------------------------------

RIVERSIDE_NAME = "Riverside Peer Circles"
RIVERSIDE_DESCRIPTION = (
    "Peer mentoring for young adults aged 18 to 25 finding their way into work, training or study. "
    "Circles of five meet every four weeks to share goals and what they are trying next, and to hold "
    "each other to it. Some circles have a facilitator who went through a program like this themselves."
)
RIVERSIDE_AREAS = [
    ("Riverside", 51.449, -2.600),
    ("Harbour", 51.447, -2.615),
    ("University Quarter", 51.458, -2.603),
]
RIVERSIDE_PEOPLE = [
    "Adam Rossi", "Bethany King", "Callum Reid", "Dami Adebayo", "Elif Yilmaz", "Finn O'Connor",
    "Gabriela Costa", "Harvey Bell", "Imani Jacobs", "Jack Morgan", "Katarzyna Wojcik", "Liam Foster",
    "Malik Hussain", "Nadia Petrova", "Oscar Lindqvist", "Phoebe Grant", "Rhys Morgan", "Saira Begum",
    "Theo Marsh", "Ursula Webb", "Vikram Nair", "Will Barker",
]  # fmt: skip
RIVERSIDE_SKILLS = [
    "CV writing", "Interview practice", "Apprenticeships", "Starting a business", "Money management",
    "Confidence", "Trades", "Health careers", "Public speaking", "University applications",
]  # fmt: skip
RIVERSIDE_INTERESTS = ["Football", "Cooking", "Music", "Hiking", "Films", "Volunteering", "Reading", "Gaming"]
# (name, focus, usually meets, place, weekday, hour, started days ago, facilitated)
RIVERSIDE_CIRCLES = [
    ("Monday evening circle", "Getting a first job: applications, interviews and the first weeks at work.",
     "Every fourth Monday, 6.30-8pm, Riverside Community Centre", "Riverside Community Centre, room 3", 0, 18, 150, True),
    ("Harbour circle", "Changing direction: people leaving a course or a job and working out what is next.",
     "Every fourth Wednesday, 7-8.30pm, online", "", 2, 19, 120, False),
    ("Makers and starters circle", "Starting something of your own: a small business, a trade, freelance work.",
     "Every fourth Thursday, 6-7.30pm, the Boatshed Café", "The Boatshed Café, back room", 3, 18, 95, False),
]  # fmt: skip
CIRCLE_PATH = [
    (
        "Introductions: where each of us is, and one goal for the next month.",
        "Good first meeting. Everyone set a goal: two applications each, one course enquiry, one business idea written down.",
    ),
    (
        "Check-in on goals; practising the 'tell me about yourself' question.",
        "Most goals done or started. Practising answers out loud in pairs helped a lot.",
    ),
    (
        "What gets in the way: money, time and confidence.",
        "An honest session. We shared what has worked: a budget app, a study buddy, saying no to extra shifts.",
    ),
    (
        "Check-in on goals; a member's interview story.",
        "One member got an interview and talked us through it. Everyone set a new goal.",
    ),
    (
        "Networking without cringing: talking to people at events.",
        "We planned to go to the careers evening together. Role play was awkward and useful.",
    ),
    (
        "Check-in on goals; looking back at three months.",
        "Looking back showed real progress: a job offer, an apprenticeship interview, a first paid commission.",
    ),
]
CIRCLE_UPCOMING = "Check-in on goals; planning the next three months."

# --- Recognition -------------------------------------------------------------------------------

THANK_YOU_YOUTH = (
    "Thank you for all your time this year. Your mentee told us they now put their hand up in "
    "class, and that it started with your meetings at the library. We are lucky to have you. Rosa"
)
THANK_YOU_GROUP = (
    "Thank you for starting the Tuesday group from scratch and for staying late every time. Seven "
    "girls have their own websites because of you. See you at the showcase! Rosa"
)
GUARDIAN_FIRST_NAMES = [
    "Grace",
    "Michael",
    "Joy",
    "Paul",
    "Amina",
    "David",
    "Sarah",
    "Tomasz",
    "Priya",
    "Kwame",
]
GUARDIAN_RELATIONSHIPS = ["Mother", "Father", "Grandmother", "Legal guardian", "Foster carer"]
EASTSIDE_MOTIVATION = "I want to learn to code with other girls and make something of my own."
RIVERSIDE_MOTIVATION = "I want to meet people in the same boat and keep myself going."
ALUMNA_BIO = (
    "I was in the Eastside Girls Who Code pilot at seventeen. Now I'm studying computing at college "
    "and facilitate a Riverside circle."
)
