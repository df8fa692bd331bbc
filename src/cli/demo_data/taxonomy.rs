//! The demo catalog's vocabulary: the category tree with each type's noun and price range, the
//! planted complements, the brands of each department, and the words and colours of titles.

/// (department, category, [(type, noun, lowest price, highest price)]).
pub(super) type Taxonomy = [(&'static str, &'static str, &'static [(&'static str, &'static str, f64, f64)])];

pub(super) const TAXONOMY: &Taxonomy = &[
    (
        "Kitchen",
        "Knives",
        &[
            ("Chef Knives", "Chef Knife", 30.0, 180.0),
            ("Paring Knives", "Paring Knife", 10.0, 60.0),
            ("Bread Knives", "Bread Knife", 20.0, 90.0),
            ("Knife Sets", "Knife Set", 80.0, 400.0),
        ],
    ),
    (
        "Kitchen",
        "Cutting Boards",
        &[("Wood Boards", "Wooden Cutting Board", 20.0, 120.0), ("Plastic Boards", "Cutting Board", 8.0, 35.0)],
    ),
    (
        "Kitchen",
        "Cookware",
        &[
            ("Frying Pans", "Frying Pan", 20.0, 160.0),
            ("Saucepans", "Saucepan", 25.0, 140.0),
            ("Dutch Ovens", "Dutch Oven", 50.0, 350.0),
        ],
    ),
    (
        "Kitchen",
        "Knife Care",
        &[("Sharpeners", "Knife Sharpener", 10.0, 90.0), ("Knife Blocks", "Knife Block", 20.0, 100.0)],
    ),
    (
        "Coffee",
        "Machines",
        &[
            ("Espresso Machines", "Espresso Machine", 150.0, 1200.0),
            ("Drip Brewers", "Drip Coffee Maker", 30.0, 250.0),
            ("French Presses", "French Press", 15.0, 70.0),
        ],
    ),
    (
        "Coffee",
        "Grinders",
        &[("Burr Grinders", "Burr Grinder", 40.0, 400.0), ("Blade Grinders", "Blade Grinder", 15.0, 50.0)],
    ),
    (
        "Coffee",
        "Beans",
        &[("Espresso Beans", "Espresso Beans 1 kg", 12.0, 45.0), ("Filter Beans", "Filter Coffee 500 g", 8.0, 25.0)],
    ),
    (
        "Coffee",
        "Accessories",
        &[
            ("Mugs", "Mug", 6.0, 30.0),
            ("Paper Filters", "Paper Filters", 3.0, 12.0),
            ("Milk Frothers", "Milk Frother", 15.0, 120.0),
        ],
    ),
    (
        "Outdoor",
        "Tents",
        &[("Backpacking Tents", "2-Person Tent", 90.0, 600.0), ("Family Tents", "Family Tent", 150.0, 900.0)],
    ),
    (
        "Outdoor",
        "Sleeping",
        &[("Sleeping Bags", "Sleeping Bag", 40.0, 400.0), ("Sleeping Pads", "Sleeping Pad", 25.0, 200.0)],
    ),
    (
        "Outdoor",
        "Camp Kitchen",
        &[
            ("Stoves", "Camping Stove", 30.0, 180.0),
            ("Fuel", "Gas Canister", 5.0, 15.0),
            ("Camp Cookware", "Camp Cook Set", 20.0, 120.0),
        ],
    ),
    ("Outdoor", "Lighting", &[("Headlamps", "Headlamp", 12.0, 90.0), ("Lanterns", "Lantern", 15.0, 80.0)]),
    (
        "Electronics",
        "Audio",
        &[("Headphones", "Wireless Headphones", 40.0, 450.0), ("Speakers", "Bluetooth Speaker", 25.0, 300.0)],
    ),
    (
        "Electronics",
        "Computers",
        &[
            ("Laptops", "Laptop", 400.0, 2500.0),
            ("Laptop Sleeves", "Laptop Sleeve", 15.0, 70.0),
            ("Docking Stations", "Docking Station", 60.0, 300.0),
        ],
    ),
    (
        "Electronics",
        "Power",
        &[
            ("Chargers", "USB-C Charger", 12.0, 80.0),
            ("Power Banks", "Power Bank", 20.0, 120.0),
            ("Cables", "USB-C Cable", 6.0, 30.0),
        ],
    ),
    (
        "Fashion",
        "Running",
        &[
            ("Running Shoes", "Running Shoes", 60.0, 220.0),
            ("Running Socks", "Running Socks", 8.0, 25.0),
            ("Running Jackets", "Running Jacket", 50.0, 250.0),
        ],
    ),
    (
        "Fashion",
        "Casual",
        &[("T-Shirts", "T-Shirt", 10.0, 45.0), ("Jeans", "Jeans", 40.0, 160.0), ("Hoodies", "Hoodie", 30.0, 120.0)],
    ),
    ("Fashion", "Accessories", &[("Caps", "Cap", 12.0, 40.0), ("Belts", "Belt", 15.0, 90.0)]),
    (
        "Home",
        "Bedding",
        &[
            ("Duvets", "Duvet", 50.0, 400.0),
            ("Pillows", "Pillow", 15.0, 120.0),
            ("Bed Sheets", "Sheet Set", 30.0, 200.0),
        ],
    ),
    ("Home", "Lighting", &[("Desk Lamps", "Desk Lamp", 20.0, 200.0), ("Light Bulbs", "LED Bulb", 3.0, 20.0)]),
    ("Home", "Bath", &[("Towels", "Bath Towel", 10.0, 60.0), ("Bath Mats", "Bath Mat", 12.0, 50.0)]),
];

/// Planted complements: a product of the first type is often bought with one of the second.
pub(super) const COMPLEMENTS: &[(&str, &str)] = &[
    ("Chef Knives", "Wood Boards"),
    ("Paring Knives", "Sharpeners"),
    ("Knife Sets", "Knife Blocks"),
    ("Frying Pans", "Plastic Boards"),
    ("Espresso Machines", "Espresso Beans"),
    ("Burr Grinders", "Espresso Beans"),
    ("Drip Brewers", "Paper Filters"),
    ("French Presses", "Filter Beans"),
    ("Backpacking Tents", "Sleeping Pads"),
    ("Sleeping Bags", "Sleeping Pads"),
    ("Stoves", "Fuel"),
    ("Headlamps", "Power Banks"),
    ("Laptops", "Laptop Sleeves"),
    ("Headphones", "Cables"),
    ("Running Shoes", "Running Socks"),
    ("Jeans", "Belts"),
    ("Duvets", "Pillows"),
    ("Desk Lamps", "Light Bulbs"),
    ("Towels", "Bath Mats"),
];

pub(super) const BRANDS: &[(&str, [&str; 5])] = &[
    ("Kitchen", ["Nordhaven", "Kessler & Sons", "Blue Fjord", "Ironleaf", "Sakura Steel"]),
    ("Coffee", ["Morning Ritual", "Crema Co", "Bean There", "Altura", "Kaffeeklatsch"]),
    ("Outdoor", ["Summit Trail", "Pine Ridge", "Northstar", "Alpenglow", "Wildcraft"]),
    ("Electronics", ["Voltix", "Auralis", "Nimbus", "Corelink", "Pixelwave"]),
    ("Fashion", ["Stride", "Urban Thread", "Fleetfoot", "Denim & Co", "Marlow"]),
    ("Home", ["Hearth & Home", "Linenly", "Lumen", "Softnest", "Casa Verde"]),
];

pub(super) const ADJECTIVES: &[&str] = &[
    "Classic",
    "Pro",
    "Essential",
    "Premium",
    "Compact",
    "Ultra",
    "Everyday",
    "Signature",
    "Lite",
    "Deluxe",
    "Eco",
    "Urban",
    "Heritage",
    "Studio",
];
pub(super) const SERIES: &[&str] = &["", "", "", "II", "III", "Max", "Mini", "Plus", "S", "X", "2.0"];
pub(super) const COLORS: &[&str] = &["black", "white", "red", "blue", "green", "grey", "natural"];
