// One chart per element: drawn again when its options change, destroyed with its component.
export function render(element, options) {
    if (element.apexChart) element.apexChart.destroy();
    element.apexChart = new ApexCharts(element, options);
    element.apexChart.render();
}

export function destroy(element) {
    if (element && element.apexChart) {
        element.apexChart.destroy();
        element.apexChart = null;
    }
}
